package dev.berth.model.image;

import java.util.Set;

/** The OCI and Docker schema 2 media types Berth reads and writes. */
public final class MediaTypes {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  public static final String OCI_LAYOUT = "application/vnd.oci.layout.header.v1+json";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER_GZIP =
      "application/vnd.docker.image.rootfs.diff.tar.gzip";

  /** What a registry may answer for a manifest request; the Accept header lists them all. */
  public static final Set<String> MANIFESTS =
      Set.of(OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST);

  private MediaTypes() {}

  public static boolean isIndex(String mediaType) {
    return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
  }

  public static boolean isManifest(String mediaType) {
    return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
  }

  /** How a layer blob is compressed: "gzip", "zstd" or "none". */
  public static String layerCompression(String mediaType) {
    if (mediaType.endsWith("+gzip") || mediaType.equals(DOCKER_LAYER_GZIP)) {
      return "gzip";
    }
    if (mediaType.endsWith("+zstd")) {
      return "zstd";
    }
    if (mediaType.equals(OCI_LAYER) || mediaType.endsWith(".tar")) {
      return "none";
    }
    throw new IllegalArgumentException("not a layer media type: \"" + mediaType + "\"");
  }
}
