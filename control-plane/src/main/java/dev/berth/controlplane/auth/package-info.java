/**
 * Who may use the control plane's API: bearer tokens with a role, stored hashed on Kafka, checked
 * on every request, with rate limits per token, a request log and an audit of exec and logs.
 */
package dev.berth.controlplane.auth;
