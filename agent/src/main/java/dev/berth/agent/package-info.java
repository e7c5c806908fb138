/**
 * The node agent: image service, reconciler, Kafka consumer, Hazelcast status and lease (issues 3
 * and 4).
 */
package dev.berth.agent;
