package dev.roster.bench.load;

import dev.roster.bench.Latency;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one HTTP load generator used for every subject and its baseline, so that ratios compare like
 * with like: a single Vert.x event loop, HTTP/1.1 keep-alive connections, no pipelining.
 *
 * <p>Closed loop: N connections, each sends its next request when the previous answer arrived
 * (throughput). Open loop: requests are due at a fixed rate whatever the server does, and latency
 * is measured from the <em>intended</em> start, so a stalled server is charged for the requests it
 * delayed (no coordinated omission).
 */
public final class HttpLoad implements AutoCloseable {

  /** One request to send; {@code tag} lets a listener tell requests apart (e.g. the event id). */
  public record Request(HttpMethod method, String path, MultiMap headers, Buffer body, Object tag) {
    public Request(HttpMethod method, String path, MultiMap headers, Buffer body) {
      this(method, path, headers, body, null);
    }
  }

  /** Produces the next request; called on the event loop, must be cheap. */
  @FunctionalInterface
  public interface RequestSource {
    Request next();
  }

  /** Called on the event loop for every answer during the measured window. */
  @FunctionalInterface
  public interface Listener {
    void answered(Request request, int status, long intendedNanos, long completedNanos);
  }

  /** Measured window only (warm-up excluded). */
  public record Result(
      long requests,
      long errors,
      Map<Integer, Long> statuses,
      double seconds,
      double perSecond,
      Latency.Summary latency) {
    public double errorRatio() {
      return requests == 0 ? 0 : (double) errors / requests;
    }
  }

  private final Vertx vertx;
  private final String host;
  private final int port;

  public HttpLoad(String host, int port) {
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
    this.host = host;
    this.port = port;
  }

  private HttpClient client(int connections) {
    return vertx.createHttpClient(
        new HttpClientOptions()
            .setDefaultHost(host)
            .setDefaultPort(port)
            .setKeepAlive(true)
            .setPipelining(false)
            .setConnectTimeout(5_000)
            .setIdleTimeout(60),
        new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
  }

  /** N connections, each with one request in flight at a time. */
  public Result closedLoop(
      int connections, Duration warmup, Duration measure, RequestSource source, Listener listener) {
    Run run = new Run(client(connections), warmup, measure, source, listener);
    vertx.runOnContext(
        v -> {
          for (int i = 0; i < connections; i++) {
            run.chain();
          }
        });
    return run.await(connections);
  }

  /** Requests due at {@code ratePerSecond}; at most {@code connections} open connections. */
  public Result openLoop(
      double ratePerSecond,
      int connections,
      Duration warmup,
      Duration measure,
      RequestSource source,
      Listener listener) {
    Run run = new Run(client(connections), warmup, measure, source, listener);
    long interval = (long) (1_000_000_000L / ratePerSecond);
    long[] next = {run.start};
    vertx.runOnContext(
        v ->
            vertx.setPeriodic(
                1,
                id -> {
                  long now = System.nanoTime();
                  while (next[0] <= now && next[0] < run.end) {
                    run.send(next[0], false);
                    next[0] += interval;
                  }
                  if (next[0] >= run.end) {
                    vertx.cancelTimer(id);
                    run.doneIssuing();
                  }
                }));
    return run.await(1);
  }

  private final class Run {
    final HttpClient client;
    final long start = System.nanoTime();
    final long measureStart;
    final long end;
    final RequestSource source;
    final Listener listener;
    final Latency latency = new Latency();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final Map<Integer, Long> statuses = new ConcurrentHashMap<>();

    /** Intended start times of measured requests still in flight (open loop: all distinct). */
    final Map<Long, Boolean> pending = new ConcurrentHashMap<>();

    final CompletableFuture<Void> done = new CompletableFuture<>();
    long inFlight;
    int openChains;
    boolean issuing = true;

    Run(
        HttpClient client,
        Duration warmup,
        Duration measure,
        RequestSource source,
        Listener listener) {
      this.client = client;
      this.measureStart = start + warmup.toNanos();
      this.end = measureStart + measure.toNanos();
      this.source = source;
      this.listener = listener;
    }

    void chain() {
      openChains++;
      send(System.nanoTime(), true);
    }

    void doneIssuing() {
      issuing = false;
      if (inFlight == 0) {
        done.complete(null);
      }
    }

    void send(long intended, boolean closed) {
      Request request = source.next();
      inFlight++;
      boolean measured = intended >= measureStart && intended < end;
      if (measured) {
        pending.put(intended, Boolean.TRUE);
      }
      RequestOptions options =
          new RequestOptions()
              .setMethod(request.method())
              .setURI(request.path())
              .setIdleTimeout(30_000);
      client
          .request(options)
          .compose(
              req -> {
                req.headers().addAll(request.headers());
                return request.body() == null ? req.send() : req.send(request.body());
              })
          .compose(resp -> resp.body().map(b -> resp.statusCode()))
          .onComplete(
              ar -> {
                long now = System.nanoTime();
                inFlight--;
                int status = ar.succeeded() ? ar.result() : -1;
                if (measured && pending.remove(intended) != null) {
                  requests.incrementAndGet();
                  statuses.merge(status, 1L, Long::sum);
                  if (status < 200 || status >= 300) {
                    errors.incrementAndGet();
                  }
                  latency.recordNanos(now - intended);
                  if (listener != null) {
                    listener.answered(request, status, intended, now);
                  }
                }
                if (closed) {
                  if (now < end) {
                    send(System.nanoTime(), true);
                  } else if (--openChains == 0) {
                    done.complete(null);
                  }
                } else if (!issuing && inFlight == 0) {
                  done.complete(null);
                }
              });
    }

    Result await(int unused) {
      try {
        long budget = end - System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        done.get(Math.max(budget, 1), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // Still unanswered 60 s after the window: count them as errors (status 0) at their age,
        // so the percentiles are lower bounds rather than silently better.
        long now = System.nanoTime();
        for (Long intended : pending.keySet()) {
          if (pending.remove(intended) != null) {
            requests.incrementAndGet();
            errors.incrementAndGet();
            statuses.merge(0, 1L, Long::sum);
            latency.recordNanos(now - intended);
          }
        }
      } catch (Exception e) {
        throw new IllegalStateException("load run failed: " + e, e);
      } finally {
        client.close();
      }
      double seconds = (end - measureStart) / 1e9;
      long n = requests.get();
      return new Result(
          n, errors.get(), Map.copyOf(statuses), seconds, n / seconds, latency.summary());
    }
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }
}
