package dev.berth.model.fleet;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

/** Once refused, no ObjectInputStream in the JVM makes an object, not even a plain HashMap. */
class JavaDeserializationTest {
  @Test
  void everyJavaDeserializationInTheJvmIsRejected() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      HashMap<String, String> m = new HashMap<>();
      m.put("k", "v");
      out.writeObject(m);
    }
    JavaDeserialization.refuse();
    JavaDeserialization.refuse(); // twice is harmless
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThrows(InvalidClassException.class, in::readObject);
    }
  }
}
