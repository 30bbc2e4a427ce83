package dev.roster.sandbox.iam.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * IAM pagination: {@code MaxItems} (default 100), an opaque {@code Marker}, and always an {@code
 * IsTruncated} element. The marker encodes the sort key of the next item, so a page stays correct
 * when items before it are deleted between calls.
 */
public final class Pages {
  private Pages() {}

  /**
   * Writes {@code <listName><member>...</member></listName><IsTruncated/>[<Marker/>]} for one page
   * of {@code items}, ordered by {@code key} (keys must be unique).
   */
  public static <T> void write(
      Params params,
      List<T> items,
      Function<T, String> key,
      Xml out,
      String listName,
      BiConsumer<Xml, T> member) {
    int max = params.maxItems();
    String after = decode(params.optional("Marker"));
    List<T> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparing(key));
    List<T> page = new ArrayList<>();
    String next = null;
    for (T item : sorted) {
      if (after != null && key.apply(item).compareTo(after) < 0) {
        continue;
      }
      if (page.size() == max) {
        next = key.apply(item);
        break;
      }
      page.add(item);
    }
    out.start(listName);
    for (T item : page) {
      out.start("member");
      member.accept(out, item);
      out.end("member");
    }
    out.end(listName);
    out.el("IsTruncated", next != null);
    if (next != null) {
      out.el("Marker", encode(next));
    }
  }

  static String encode(String key) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("v1:" + key).getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String marker) {
    if (marker == null) {
      return null;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
      if (text.startsWith("v1:")) {
        return text.substring(3);
      }
    } catch (IllegalArgumentException e) {
      // fall through to IAM's answer for a marker it did not issue
    }
    throw IamException.validation("Invalid Marker: " + marker);
  }
}
