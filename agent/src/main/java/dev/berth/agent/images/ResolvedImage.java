package dev.berth.agent.images;

import dev.berth.model.image.Descriptor;
import dev.berth.model.image.ImageConfig;
import dev.berth.model.image.Manifest;

/**
 * An image as resolved for one platform: what its name points at (a manifest or an index), the
 * manifest chosen for the platform, and that manifest's config. Resolved once, by the puller or
 * from the store.
 */
public record ResolvedImage(Descriptor target, Manifest manifest, ImageConfig config) {}
