/**
 * The node's side of mutual TLS: joining the fleet with a join token (a certificate signed by the
 * fleet's CA) and letting only the control planes use the node API.
 */
package dev.berth.agent.node.tls;
