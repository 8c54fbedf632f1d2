package dev.faultline.notifier.notify.slack;

import java.util.List;

/**
 * Text made safe for Slack: {@code &}, {@code <} and {@code >} escaped as Slack documents (so a
 * model name cannot carry {@code <!channel>} or a link), and every piece cut to the limit of the
 * place it goes, saying how much was cut. Cuts never split an escape.
 */
final class SlackText {

  private SlackText() {}

  /** {@code &}, {@code <}, {@code >} as {@code &amp;}, {@code &lt;}, {@code &gt;}. */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * {@code s} escaped and, when longer than {@code max}, cut with {@code … (N more characters)} (N
   * counted in the unescaped text), the whole at most {@code max}.
   */
  static String capped(String s, int max) {
    String e = escape(s);
    if (e.length() <= max) {
      return e;
    }
    for (int keep = Math.min(s.length(), max); keep >= 0; keep--) {
      String head = escape(s.substring(0, keep));
      String tail = "… (" + (s.length() - keep) + " more characters)";
      if (head.length() + tail.length() <= max) {
        return head + tail;
      }
    }
    return "";
  }

  /**
   * Names joined by {@code ", "}, escaped, at most {@code max}: as many whole names as fit, then
   * {@code and N more}.
   */
  static String names(List<String> names, int max) {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < names.size(); k++) {
      String next = (k == 0 ? "" : ", ") + escape(names.get(k));
      int left = names.size() - k - 1;
      String rest = left == 0 ? "" : " and " + left + " more";
      if (sb.length() + next.length() + rest.length() > max) {
        String more = (k == 0 ? "" : " ") + "and " + (names.size() - k) + " more";
        return sb.length() + more.length() <= max ? sb + more : capped(sb.toString(), max);
      }
      sb.append(next);
    }
    return sb.toString();
  }
}
