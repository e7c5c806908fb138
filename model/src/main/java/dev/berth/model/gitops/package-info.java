/**
 * GitOps sources as users declare them and their sync statuses as the control plane reports them.
 */
package dev.berth.model.gitops;
