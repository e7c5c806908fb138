/**
 * The control plane: workload API, spec store on Kafka, scheduler, node-loss rescheduling (issue
 * 4).
 */
package dev.berth.controlplane;
