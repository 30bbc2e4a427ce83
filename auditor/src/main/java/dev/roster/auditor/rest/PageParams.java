package dev.roster.auditor.rest;

import jakarta.ws.rs.QueryParam;

/**
 * The query parameters every keyset listing takes besides its filters: {@code limit} (1..1000),
 * {@code cursor} (a page's {@code nextCursor}) and {@code format} ({@code csv} or {@code json}).
 * Each listing's parameter bean extends it.
 */
public abstract class PageParams {
  @QueryParam("limit")
  String limit;

  @QueryParam("cursor")
  String cursor;

  @QueryParam("format")
  String format;
}
