/** The fleet harness and fault experiments (later issue). */
package dev.berth.chaos;
