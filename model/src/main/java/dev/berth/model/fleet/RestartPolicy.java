package dev.berth.model.fleet;

/** When an exited container is started again, as Kubernetes and Nomad name it. */
public enum RestartPolicy {
  Always,
  OnFailure,
  Never
}
