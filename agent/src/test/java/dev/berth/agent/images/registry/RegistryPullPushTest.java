package dev.berth.agent.images.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.agent.images.ImageStore;
import dev.berth.agent.images.build.BuildOptions;
import dev.berth.agent.images.build.ImageBuilder;
import dev.berth.agent.images.store.ContentStoreException;
import dev.berth.agent.images.unpack.LayerUnpacker;
import dev.berth.agent.images.unpack.Whiteouts;
import dev.berth.embedded.LoopbackRegistry;
import dev.berth.model.JsonMapping;
import dev.berth.model.image.Descriptor;
import dev.berth.model.image.Digest;
import dev.berth.model.image.ImageReference;
import dev.berth.model.image.Manifest;
import dev.berth.model.image.MediaTypes;
import dev.berth.model.image.Platform;
import dev.berth.runtime.bundle.BusyboxRootfs;
import dev.berth.runtime.files.FileTrees;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Push and pull against a real registry (Debian's docker-registry on loopback), started once for
 * the class.
 */
class RegistryPullPushTest {
  static LoopbackRegistry registry;
  static Path rootfs;
  static ExecutorService workers = Executors.newFixedThreadPool(4);
  Path work;
  RegistryClient client = new RegistryClient(Map.of());

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = new LoopbackRegistry();
    rootfs = BusyboxRootfs.create(Files.createTempDirectory("berth-image-rootfs-"));
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    registry.close();
    FileTrees.delete(rootfs);
    workers.shutdownNow();
  }

  @BeforeEach
  void setUp() throws Exception {
    work = Files.createTempDirectory("berth-images-");
  }

  @AfterEach
  void tearDown() throws Exception {
    FileTrees.delete(work);
  }

  private ImageStore store(String name) throws Exception {
    return new ImageStore(work.resolve(name));
  }

  private ImageReference ref(String repoAndTag) {
    return ImageReference.parse(registry.host() + "/" + repoAndTag);
  }

  private ImageBuilder.Built build(ImageStore s, String name) throws Exception {
    return new ImageBuilder(s)
        .build(rootfs, BuildOptions.of(List.of("sh")), ImageReference.parse(name));
  }

  @Test
  void anImagePushedFromOneStorePullsIntoAnEmptyOneWithTheSameVerifiedBlobs() throws Exception {
    ImageStore source = store("source");
    ImageBuilder.Built built = build(source, "local/busybox:1");
    ImagePusher.Result pushed =
        new ImagePusher(client, source, 8 << 20)
            .push(
                ImageReference.parse("local/busybox:1"),
                ref("test/busybox:1"),
                null,
                PullProgress.NONE);
    assertEquals(2, pushed.uploaded(), "config and layer");

    ImageStore empty = store("empty");
    Descriptor pulled =
        new ImagePuller(client, empty, workers)
            .pull(ref("test/busybox:1"), Platform.host(), PullProgress.NONE)
            .target();
    assertEquals(built.manifest().digest(), pulled.digest());
    Manifest m =
        JsonMapping.mapper().readValue(empty.content().read(pulled.digest()), Manifest.class);
    for (Descriptor blob : List.of(m.config(), m.layers().get(0))) {
      byte[] bytes = empty.content().read(blob.digest());
      assertEquals(blob.size(), bytes.length);
      assertEquals(
          blob.digest(), Digest.sha256(bytes), "the pulled blob really matches its digest");
    }
    assertEquals(pulled, empty.resolve(ref("test/busybox:1")).orElseThrow());
  }

  @Test
  void pushingAgainSkipsWhatTheRegistryHasAndAnotherRepositoryMountsIt() throws Exception {
    ImageStore source = store("source");
    build(source, "local/app:1");
    ImagePusher pusher = new ImagePusher(client, source, 8 << 20);
    pusher.push(ImageReference.parse("local/app:1"), ref("test/app:1"), null, PullProgress.NONE);
    ImagePusher.Result again =
        pusher.push(
            ImageReference.parse("local/app:1"), ref("test/app:2"), null, PullProgress.NONE);
    assertEquals(new ImagePusher.Result(0, 2, 0), again);
    ImagePusher.Result mounted =
        pusher.push(
            ImageReference.parse("local/app:1"), ref("other/app:1"), "test/app", PullProgress.NONE);
    assertEquals(new ImagePusher.Result(0, 0, 2), mounted);
  }

  @Test
  void aChunkedUploadArrivesWhole() throws Exception {
    ImageStore source = store("source");
    ImageBuilder.Built built = build(source, "local/chunked:1");
    new ImagePusher(client, source, 64 * 1024)
        .push(
            ImageReference.parse("local/chunked:1"),
            ref("test/chunked:1"),
            null,
            PullProgress.NONE);
    ImageStore empty = store("empty");
    new ImagePuller(client, empty, workers)
        .pull(ref("test/chunked:1"), Platform.host(), PullProgress.NONE);
    assertArrayEquals(source.content().read(built.layer()), empty.content().read(built.layer()));
  }

  @Test
  void aBlobCorruptedOnTheRegistrysDiskIsRefusedAndLeavesNothing() throws Exception {
    ImageStore source = store("source");
    ImageBuilder.Built built = build(source, "local/corrupt:1");
    new ImagePusher(client, source, 8 << 20)
        .push(
            ImageReference.parse("local/corrupt:1"),
            ref("test/corrupt:1"),
            null,
            PullProgress.NONE);
    Path onDisk = registry.blobData(built.layer().encoded());
    byte[] data = Files.readAllBytes(onDisk);
    data[data.length / 2] ^= 0x55;
    Files.write(onDisk, data);
    ImageStore empty = store("empty");
    ContentStoreException e =
        assertThrows(
            ContentStoreException.class,
            () ->
                new ImagePuller(client, empty, workers)
                    .pull(ref("test/corrupt:1"), Platform.host(), PullProgress.NONE));
    assertTrue(
        e.getMessage().contains(built.layer().toString())
            && e.getMessage().contains("does not match its digest"),
        e.getMessage());
    assertFalse(empty.content().has(built.layer()));
    assertEquals(0, empty.content().partialSize(built.layer()));
    assertTrue(empty.resolve(ref("test/corrupt:1")).isEmpty(), "no name for a broken image");
  }

  @Test
  void anIndexWithTwoPlatformsGivesEachPlatformItsOwnManifest() throws Exception {
    ImageStore source = store("source");
    Descriptor amd = build(source, "local/multi:amd64").manifest();
    Path armRoot = Files.createDirectories(work.resolve("armroot/bin"));
    Files.writeString(armRoot.resolve("marker"), "arm64");
    Descriptor arm =
        new ImageBuilder(source)
            .build(
                work.resolve("armroot"),
                BuildOptions.of(List.of("true")),
                ImageReference.parse("local/multi:arm64"))
            .manifest();
    ImagePusher pusher = new ImagePusher(client, source, 8 << 20);
    pusher.push(
        ImageReference.parse("local/multi:amd64"),
        ref("test/multi:amd64"),
        null,
        PullProgress.NONE);
    pusher.push(
        ImageReference.parse("local/multi:arm64"),
        ref("test/multi:arm64"),
        null,
        PullProgress.NONE);
    String index =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaTypes.OCI_INDEX
            + "\",\"manifests\":["
            + entry(amd, "amd64", null)
            + ","
            + entry(arm, "arm64", "v8")
            + "]}";
    client.putManifest(
        registry.host(), "test/multi", "latest", MediaTypes.OCI_INDEX, index.getBytes());

    ImageStore armStore = store("arm");
    ImagePuller puller = new ImagePuller(client, armStore, workers);
    Descriptor top =
        puller
            .pull(
                ref("test/multi:latest"),
                new Platform("arm64", "linux", null, null, "v8", null, null),
                PullProgress.NONE)
            .target();
    assertEquals(MediaTypes.OCI_INDEX, top.mediaType());
    assertTrue(armStore.content().has(arm.digest()));
    assertFalse(armStore.content().has(amd.digest()), "only the asked-for platform is fetched");
    ImageStore amdStore = store("amd");
    new ImagePuller(client, amdStore, workers)
        .pull(ref("test/multi:latest"), Platform.host(), PullProgress.NONE);
    assertTrue(amdStore.content().has(amd.digest()));
    RegistryException none =
        assertThrows(
            RegistryException.class,
            () ->
                new ImagePuller(client, store("s390"), workers)
                    .pull(
                        ref("test/multi:latest"),
                        new Platform("s390x", "linux", null, null, null, null, null),
                        PullProgress.NONE));
    assertTrue(none.getMessage().contains("no manifest for linux/s390x"), none.getMessage());
  }

  private static String entry(Descriptor d, String arch, String variant) {
    return "{\"mediaType\":\""
        + d.mediaType()
        + "\",\"digest\":\""
        + d.digest()
        + "\",\"size\":"
        + d.size()
        + ",\"platform\":{\"architecture\":\""
        + arch
        + "\",\"os\":\"linux\""
        + (variant == null ? "" : ",\"variant\":\"" + variant + "\"")
        + "}}";
  }

  @Test
  void aRegistryThatDemandsATokenIsAnsweredWithTheTokenFlow() throws Exception {
    ImageStore source = store("source");
    ImageBuilder.Built built = build(source, "local/guarded:1");
    new ImagePusher(client, source, 8 << 20)
        .push(
            ImageReference.parse("local/guarded:1"),
            ref("test/guarded:1"),
            null,
            PullProgress.NONE);
    try (RegistryProxy proxy = new RegistryProxy(registry.host(), RegistryProxy.Mode.BEARER)) {
      ImageStore empty = store("empty");
      new ImagePuller(client, empty, workers)
          .pull(
              ImageReference.parse(proxy.host() + "/test/guarded:1"),
              Platform.host(),
              PullProgress.NONE);
      assertTrue(empty.content().has(built.layer()));
      assertTrue(
          proxy.tokenRequests.stream()
              .anyMatch(
                  q ->
                      q.contains("service=berth-test")
                          && q.contains("scope=repository:test/guarded:pull")),
          proxy.tokenRequests.toString());
    }
  }

  @Test
  void anUnknownImageIsAClearError() {
    RegistryException e =
        assertThrows(
            RegistryException.class,
            () ->
                new ImagePuller(client, store("x"), workers)
                    .pull(ref("test/nothing:1"), Platform.host(), PullProgress.NONE));
    assertEquals(404, e.status());
    assertTrue(
        e.getMessage().contains("MANIFEST_UNKNOWN") || e.getMessage().contains("NAME_UNKNOWN"),
        e.getMessage());
  }

  @Test
  void pullsComeFromAMirrorFirstAndFallBackToTheRegistry() throws Exception {
    ImageStore source = store("source");
    ImageBuilder.Built built = build(source, "local/mirrored:1");
    try (LoopbackRegistry mirror = new LoopbackRegistry()) {
      // Only the mirror has the image; the registry it mirrors does not even listen.
      new ImagePusher(new RegistryClient(Map.of()), source, 8 << 20)
          .push(
              ImageReference.parse("local/mirrored:1"),
              ImageReference.parse(mirror.host() + "/test/mirrored:1"),
              null,
              PullProgress.NONE);
      String down = "127.0.0.1:1";
      RegistryClient viaMirror =
          new RegistryClient(
              Map.of(
                  down,
                  new RegistryHost(down, true, List.of("http://" + mirror.host()), null, null)));
      ImageStore a = store("a");
      new ImagePuller(viaMirror, a, workers)
          .pull(
              ImageReference.parse(down + "/test/mirrored:1"), Platform.host(), PullProgress.NONE);
      assertTrue(a.content().has(built.layer()), "served by the mirror");

      // A mirror that lacks the image is passed over for the registry.
      new ImagePusher(client, source, 8 << 20)
          .push(
              ImageReference.parse("local/mirrored:1"),
              ref("test/only-here:1"),
              null,
              PullProgress.NONE);
      RegistryClient emptyMirror =
          new RegistryClient(
              Map.of(
                  registry.host(),
                  new RegistryHost(
                      registry.host(), true, List.of("http://" + mirror.host()), null, null)));
      ImageStore b = store("b");
      new ImagePuller(emptyMirror, b, workers)
          .pull(ref("test/only-here:1"), Platform.host(), PullProgress.NONE);
      assertTrue(b.content().has(built.layer()), "served by the registry after the mirror's 404");
    }
  }

  @Test
  void aRegistryThatDemandsAPasswordGetsBasicAuthFromTheSettings() throws Exception {
    ImageStore source = store("source");
    ImageBuilder.Built built = build(source, "local/basic:1");
    new ImagePusher(client, source, 8 << 20)
        .push(ImageReference.parse("local/basic:1"), ref("test/basic:1"), null, PullProgress.NONE);
    try (RegistryProxy proxy = new RegistryProxy(registry.host(), RegistryProxy.Mode.BASIC)) {
      ImageReference guarded = ImageReference.parse(proxy.host() + "/test/basic:1");
      RegistryException refused =
          assertThrows(
              RegistryException.class,
              () ->
                  new ImagePuller(client, store("x"), workers)
                      .pull(guarded, Platform.host(), PullProgress.NONE));
      assertTrue(
          refused.getMessage().contains("asks for a user name and password"), refused.getMessage());
      // As an agent gets them: from its --registry-config file.
      Path settings =
          Files.writeString(
              work.resolve("registries.yaml"),
              "registries:\n  \""
                  + proxy.host()
                  + "\":\n    username: berth\n    password: s3cret\n");
      RegistryClient withPassword = new RegistryClient(RegistryHostsFile.read(settings));
      ImageStore empty = store("empty");
      new ImagePuller(withPassword, empty, workers)
          .pull(guarded, Platform.host(), PullProgress.NONE);
      assertTrue(empty.content().has(built.layer()));
    }
  }

  @Test
  void aDownloadCutOffHalfwayIsResumedWithARangeRequest() throws Exception {
    ImageStore source = store("source");
    ImageBuilder.Built built = build(source, "local/flaky:1");
    new ImagePusher(client, source, 8 << 20)
        .push(ImageReference.parse("local/flaky:1"), ref("test/flaky:1"), null, PullProgress.NONE);
    try (RegistryProxy proxy = new RegistryProxy(registry.host(), RegistryProxy.Mode.FLAKY)) {
      ImageStore empty = store("empty");
      new ImagePuller(client, empty, workers)
          .pull(
              ImageReference.parse(proxy.host() + "/test/flaky:1"),
              Platform.host(),
              PullProgress.NONE);
      assertTrue(empty.content().has(built.layer()));
      assertEquals(Digest.sha256(empty.content().read(built.layer())), built.layer());
      assertEquals(1, proxy.ranges.size(), "one resumed request: " + proxy.ranges);
      assertTrue(proxy.ranges.get(0).matches("bytes=[1-9][0-9]*-"), proxy.ranges.toString());
    }
  }

  @Test
  void aRegistryThatAcceptsOnlyTokensIsPushedToAndPulledFromWithTheTokenFlow() throws Exception {
    try (JwtTokenServer tokens = new JwtTokenServer(work);
        LoopbackRegistry guarded = new LoopbackRegistry(tokens.auth())) {
      ImageStore source = store("source");
      ImageBuilder.Built built = build(source, "local/jwt:1");
      ImageReference remote = ImageReference.parse(guarded.host() + "/team/jwt:1");
      new ImagePusher(client, source, 8 << 20)
          .push(ImageReference.parse("local/jwt:1"), remote, null, PullProgress.NONE);
      ImageStore empty = store("empty");
      new ImagePuller(new RegistryClient(Map.of()), empty, workers)
          .pull(remote, Platform.host(), PullProgress.NONE);
      assertTrue(empty.content().has(built.layer()));
      int anonymous =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://" + guarded.host() + "/v2/team/jwt/manifests/1"))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
      assertEquals(401, anonymous, "the registry really demands a token");
      new RegistryClient(Map.of()).ping(guarded.host()); // the /v2/ check answers the challenge too
      assertTrue(
          tokens.scopesAsked.contains("repository:team/jwt:pull,push"),
          tokens.scopesAsked.toString());
      assertTrue(
          tokens.scopesAsked.contains("repository:team/jwt:pull"), tokens.scopesAsked.toString());
    }
  }

  @Test
  void headTellsAManifestsDigestWithoutFetchingIt() throws Exception {
    ImageStore source = store("source");
    ImageBuilder.Built built = build(source, "local/head:1");
    new ImagePusher(client, source, 8 << 20)
        .push(ImageReference.parse("local/head:1"), ref("test/head:1"), null, PullProgress.NONE);
    client.ping(registry.host());
    assertEquals(
        Optional.of(built.manifest().digest()),
        client.headManifest(registry.host(), "test/head", "1"));
    assertEquals(Optional.empty(), client.headManifest(registry.host(), "test/head", "nope"));
  }

  @Test
  void aDockerSchema2ManifestIsPulledAndItsLayerUnpacked() throws Exception {
    ImageStore source = store("source");
    ImageBuilder.Built built = build(source, "local/docker:1");
    new ImagePusher(client, source, 8 << 20)
        .push(
            ImageReference.parse("local/docker:1"),
            ref("test/docker:oci"),
            null,
            PullProgress.NONE);
    Manifest oci =
        JsonMapping.mapper()
            .readValue(source.content().read(built.manifest().digest()), Manifest.class);
    String docker =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaTypes.DOCKER_MANIFEST
            + "\","
            + "\"config\":{\"mediaType\":\""
            + MediaTypes.DOCKER_CONFIG
            + "\",\"digest\":\""
            + oci.config().digest()
            + "\",\"size\":"
            + oci.config().size()
            + "},\"layers\":[{\"mediaType\":\""
            + MediaTypes.DOCKER_LAYER_GZIP
            + "\",\"digest\":\""
            + built.layer()
            + "\",\"size\":"
            + oci.layers().get(0).size()
            + "}]}";
    client.putManifest(
        registry.host(), "test/docker", "v2", MediaTypes.DOCKER_MANIFEST, docker.getBytes());
    ImageStore empty = store("empty");
    Descriptor pulled =
        new ImagePuller(client, empty, workers)
            .pull(ref("test/docker:v2"), Platform.host(), PullProgress.NONE)
            .target();
    assertEquals(MediaTypes.DOCKER_MANIFEST, pulled.mediaType());
    Manifest m =
        JsonMapping.mapper().readValue(empty.content().read(pulled.digest()), Manifest.class);
    Path unpacked = work.resolve("unpacked");
    try (var blob = empty.content().open(m.layers().get(0).digest())) {
      LayerUnpacker.unpackNew(
          blob,
          MediaTypes.layerCompression(m.layers().get(0).mediaType()),
          unpacked,
          "docker layer",
          Whiteouts.APPLY);
    }
    assertTrue(Files.isRegularFile(unpacked.resolve("bin/busybox")));
  }
}
