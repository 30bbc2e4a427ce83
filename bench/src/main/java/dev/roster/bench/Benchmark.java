package dev.roster.bench;

/** One named benchmark: measures its subject and the subject's baseline in the same run. */
public interface Benchmark {
  String name();

  /** One line for the usage text. */
  String description();

  void run(Context context, Report report) throws Exception;
}
