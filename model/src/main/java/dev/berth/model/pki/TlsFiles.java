package dev.berth.model.pki;

import java.nio.file.Path;

/** One identity's PEM files: the CA it trusts, its certificate and its key. */
public record TlsFiles(Path ca, Path cert, Path key) {}
