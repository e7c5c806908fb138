/** Certificates and keys as PEM files, and TLS contexts that trust only the fleet's CA. */
package dev.berth.model.pki;
