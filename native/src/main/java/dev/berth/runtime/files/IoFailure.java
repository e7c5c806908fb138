package dev.berth.runtime.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file operation failed, by errno name: java.nio's exceptions carry only the path for the
 * common errors (an AccessDeniedException's message is the path itself).
 */
public final class IoFailure {
  private IoFailure() {}

  public static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "EACCES (permission denied)";
    }
    if (e instanceof NoSuchFileException) {
      return "ENOENT (no such file or directory)";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "EEXIST (exists)";
    }
    if (e instanceof NotDirectoryException) {
      return "ENOTDIR (not a directory)";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "ENOTEMPTY (directory not empty)";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage();
  }
}
