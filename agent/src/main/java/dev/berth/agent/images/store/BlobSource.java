package dev.berth.agent.images.store;

import java.io.IOException;
import java.io.InputStream;

/** Where a blob's bytes come from; {@code offset} > 0 resumes a download that broke off. */
@FunctionalInterface
public interface BlobSource {
  InputStream openFrom(long offset) throws IOException;
}
