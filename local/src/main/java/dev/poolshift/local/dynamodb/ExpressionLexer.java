package dev.poolshift.local.dynamodb;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an expression into tokens. Anything the grammar does not know becomes a one-character
 * {@link Kind#UNKNOWN} token, so the parser can report it as DynamoDB does ({@code token: "!"}).
 */
final class ExpressionLexer {
  enum Kind {
    /** {@code [A-Za-z_][A-Za-z0-9_]*}: an attribute name, a keyword or a function name. */
    NAME,
    /** {@code #name}. */
    NAME_REF,
    /** {@code :value}. */
    VALUE_REF,
    /** Digits, only meaningful as a list index. */
    INTEGER,
    LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, DOT, EQ, NE, LT, LE, GT, GE, PLUS, MINUS,
    UNKNOWN,
    EOF
  }

  /** One token; {@code start} and {@code end} index the source, for error messages. */
  record Token(Kind kind, String text, int start, int end) {
    boolean isKeyword(String keyword) {
      return kind == Kind.NAME && text.equalsIgnoreCase(keyword);
    }
  }

  private ExpressionLexer() {}

  static List<Token> tokens(String source) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        i++;
        continue;
      }
      int start = i;
      if (isNameStart(c)) {
        i++;
        while (i < n && isNamePart(source.charAt(i))) {
          i++;
        }
        out.add(new Token(Kind.NAME, source.substring(start, i), start, i));
      } else if ((c == '#' || c == ':') && i + 1 < n && isNamePart(source.charAt(i + 1))) {
        i += 2;
        while (i < n && isNamePart(source.charAt(i))) {
          i++;
        }
        out.add(new Token(c == '#' ? Kind.NAME_REF : Kind.VALUE_REF, source.substring(start, i), start, i));
      } else if (c >= '0' && c <= '9') {
        while (i < n && source.charAt(i) >= '0' && source.charAt(i) <= '9') {
          i++;
        }
        out.add(new Token(Kind.INTEGER, source.substring(start, i), start, i));
      } else {
        Kind kind = switch (c) {
          case '(' -> Kind.LPAREN;
          case ')' -> Kind.RPAREN;
          case '[' -> Kind.LBRACKET;
          case ']' -> Kind.RBRACKET;
          case ',' -> Kind.COMMA;
          case '.' -> Kind.DOT;
          case '=' -> Kind.EQ;
          case '+' -> Kind.PLUS;
          case '-' -> Kind.MINUS;
          case '<' -> next(source, i) == '>' ? Kind.NE : next(source, i) == '=' ? Kind.LE : Kind.LT;
          case '>' -> next(source, i) == '=' ? Kind.GE : Kind.GT;
          default -> Kind.UNKNOWN;
        };
        i += kind == Kind.NE || kind == Kind.LE || kind == Kind.GE ? 2 : 1;
        out.add(new Token(kind, source.substring(start, i), start, i));
      }
    }
    out.add(new Token(Kind.EOF, "<EOF>", n, n));
    return out;
  }

  private static char next(String s, int i) {
    return i + 1 < s.length() ? s.charAt(i + 1) : 0;
  }

  private static boolean isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isNamePart(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }
}
