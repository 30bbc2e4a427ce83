package dev.roster.sandbox.iam.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Pagination walks every item exactly once, whatever the page size and deletions between pages. */
class PagesTest {
  private static final Pattern MEMBER = Pattern.compile("<member>([^<]*)</member>");
  private static final Pattern MARKER = Pattern.compile("<Marker>([^<]*)</Marker>");

  private record Page(List<String> items, String marker, boolean truncated) {}

  private static Page page(List<String> items, int maxItems, String marker) {
    Map<String, String> form = new HashMap<>();
    form.put("MaxItems", String.valueOf(maxItems));
    if (marker != null) {
      form.put("Marker", marker);
    }
    Xml x = new Xml();
    Pages.write(new Params(form), items, Function.identity(), x, "Items", Xml::text);
    String xml = x.toString();
    List<String> found = new ArrayList<>();
    Matcher m = MEMBER.matcher(xml);
    while (m.find()) {
      found.add(m.group(1));
    }
    Matcher next = MARKER.matcher(xml);
    return new Page(
        found, next.find() ? next.group(1) : null, xml.contains("<IsTruncated>true</IsTruncated>"));
  }

  @Test
  void everyItemExactlyOnceInOrderForRandomSizes() {
    Random random = new Random(42);
    for (int run = 0; run < 200; run++) {
      TreeSet<String> items = new TreeSet<>();
      int n = random.nextInt(300);
      while (items.size() < n) {
        items.add(Integer.toString(random.nextInt(100_000), 36));
      }
      int maxItems = 1 + random.nextInt(120);
      List<String> seen = new ArrayList<>();
      String marker = null;
      do {
        Page p = page(new ArrayList<>(items), maxItems, marker);
        assertThat(p.items()).hasSizeLessThanOrEqualTo(maxItems);
        assertThat(p.truncated()).isEqualTo(p.marker() != null);
        seen.addAll(p.items());
        marker = p.marker();
      } while (marker != null);
      assertThat(seen).containsExactlyElementsOf(items);
    }
  }

  @Test
  void deletingSeenItemsBetweenPagesLosesNothingUnseen() {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      items.add(String.format("u%02d", i));
    }
    Page first = page(items, 20, null);

    items.removeAll(first.items().subList(0, 10));
    Page second = page(items, 20, first.marker());

    assertThat(second.items()).first().isEqualTo("u20");
    assertThat(second.items()).hasSize(20);
  }

  @Test
  void emptyListIsNotTruncated() {
    Page p = page(List.of(), 100, null);

    assertThat(p.items()).isEmpty();
    assertThat(p.truncated()).isFalse();
  }
}
