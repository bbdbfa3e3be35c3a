package io.promgate.promql.parser;

import org.antlr.v4.runtime.Token;

/**
 * The query text and the mapping from ANTLR's code-point indices to Java char offsets (they differ only
 * when the query holds characters outside the BMP, e.g. emoji in a label value).
 */
final class Source {
  final String text;
  private final int[] charOffsetOfCodePoint;

  Source(String text) {
    this.text = text;
    int cps = text.codePointCount(0, text.length());
    if (cps == text.length()) {
      charOffsetOfCodePoint = null;
    } else {
      charOffsetOfCodePoint = new int[cps + 1];
      int ci = 0;
      for (int cp = 0; cp < cps; cp++) {
        charOffsetOfCodePoint[cp] = ci;
        ci += Character.charCount(text.codePointAt(ci));
      }
      charOffsetOfCodePoint[cps] = text.length();
    }
  }

  int offset(int codePointIndex) {
    if (charOffsetOfCodePoint == null || codePointIndex < 0) {
      return codePointIndex;
    }
    return charOffsetOfCodePoint[Math.min(codePointIndex, charOffsetOfCodePoint.length - 1)];
  }

  int start(Token t) {
    return t.getType() == Token.EOF ? text.length() : offset(t.getStartIndex());
  }

  int end(Token t) {
    return t.getType() == Token.EOF ? text.length() : offset(t.getStopIndex() + 1);
  }
}
