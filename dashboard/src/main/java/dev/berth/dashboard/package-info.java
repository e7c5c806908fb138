/** The web dashboard: REST and WebSocket live fleet view (later issue). */
package dev.berth.dashboard;
