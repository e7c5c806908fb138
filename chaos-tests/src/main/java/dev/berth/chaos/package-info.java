/**
 * Chaos experiments (`berth chaos`): a lab fleet of processes on one machine, faults injected into
 * it (kills, pauses, network cuts), an observer of what really ran, a load of API calls, and
 * reports of what the fleet lost. See docs/chaos.md.
 */
package dev.berth.chaos;
