package dev.berth.model.gitops;

/**
 * How a source signs in to its repository, by reference to files on the control plane (the API
 * shows the paths, never what is in them): over https a user name and a file holding the password
 * or token; over ssh a private key file and the known_hosts file that vouches for the server.
 */
public record GitCredentials(
    String username, String passwordFile, String sshKeyFile, String knownHostsFile) {}
