/**
 * The fleet's certificate authority: created once, it issues the API's serving certificate and the
 * nodes' certificates; clients trust it instead of the system's roots.
 */
package dev.berth.controlplane.pki;
