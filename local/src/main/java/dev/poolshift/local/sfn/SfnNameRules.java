package dev.poolshift.local.sfn;

/**
 * Execution (and state machine) name rules of API:StartExecution: 1 to 80 characters; no
 * whitespace, brackets, wildcards, special characters, control characters or surrogates.
 */
final class SfnNameRules {
  private static final String FORBIDDEN = "<>{}[]?*\"#%\\^|~`$&,;:/";

  private SfnNameRules() {}

  static boolean isValid(String name) {
    if (name == null || name.isEmpty() || name.codePointCount(0, name.length()) > 80) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c) || FORBIDDEN.indexOf(c) >= 0
          || c <= 0x1F || (c >= 0x7F && c <= 0x9F) || c == 0xFFFE || c == 0xFFFF || Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
