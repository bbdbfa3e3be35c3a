package io.promgate.promql.parser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the line-based case files under test-data/parser/. */
final class TestData {
  private TestData() {
  }

  static Path dir() {
    String root = System.getProperty("promgate.root", "..");
    return Path.of(root, "test-data", "parser");
  }

  /** Non-comment lines, split on TAB; in every field \n \t \r \\ are unescaped, any other backslash is kept. */
  static List<String[]> read(String file) throws IOException {
    List<String[]> out = new ArrayList<>();
    for (String line : Files.readAllLines(dir().resolve(file))) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\t", -1);
      for (int i = 0; i < fields.length; i++) {
        fields[i] = unescape(fields[i]);
      }
      out.add(fields);
    }
    return out;
  }

  static String unescape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        sb.append(switch (n) {
          case 'n' -> '\n';
          case 't' -> '\t';
          case 'r' -> '\r';
          case '\\' -> '\\';
          default -> {
            sb.append('\\');
            yield n;
          }
        });
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
