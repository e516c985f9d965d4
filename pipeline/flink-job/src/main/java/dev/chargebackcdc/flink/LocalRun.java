package dev.chargebackcdc.flink;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.streaming.api.environment.ExecutionCheckpointingOptions;
import org.apache.flink.streaming.api.environment.CheckpointConfig.ExternalizedCheckpointCleanup;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the job in a local MiniCluster (one JVM) against the local stack: the same pipeline as on Managed
 * Flink, plus what that service would otherwise do — S3 settings (endpoint, path style, static keys) and, when
 * {@code local.state.dir} is set, retained checkpoints that the next start resumes from (so a killed and
 * restarted local writer keeps its exactly-once guarantee). SIGTERM stops the job with a savepoint, which
 * commits the part files of everything read so far.
 */
final class LocalRun {
  /** The line run-local.sh and index.ts wait for. */
  static final String UP_LINE = "chargeback-flink-job: up";

  private LocalRun() {}

  static int run(JobConfig config) throws Exception {
    Configuration conf = new Configuration();
    Path scratch = scratchDirectory();
    conf.set(CoreOptions.TMP_DIRS, scratch.toString());
    conf.setString("web.tmpdir", scratch.toString());
    initializeS3(config, conf);
    Optional<Path> restoreFrom = configureState(config, conf);
    restoreFrom.ifPresent(p -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, p.toString()));

    StreamExecutionEnvironment env = config.parallelism() > 0
        ? StreamExecutionEnvironment.createLocalEnvironment(config.parallelism(), conf)
        : StreamExecutionEnvironment.createLocalEnvironment(conf);
    ChargebackParquetJob.build(env, config);

    JobClient job = env.executeAsync(ChargebackParquetJob.JOB_NAME);
    AtomicBoolean stopping = new AtomicBoolean(false);
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop(job, config, stopping, stopped);
      deleteQuietly(scratch);
    }, "chargeback-flink-stop"));

    awaitRunning(job);
    System.out.println(UP_LINE + ": job " + job.getJobID() + " RUNNING; " + config.topic() + "@" + config.bootstrapServers()
        + " (group " + config.groupId() + ") -> " + config.landingPath() + "/YYYY-MM-DD/HH/, dead letters -> "
        + config.dlqTopic() + ", checkpoint every " + config.checkpointIntervalMs() + " ms"
        + restoreFrom.map(p -> ", restored from " + p).orElse(""));
    System.out.flush();

    try {
      job.getJobExecutionResult().get();
      System.out.println("chargeback-flink-job: finished");
      return 0;
    } catch (Exception e) {
      if (stopping.get()) {
        stopped.get(60, TimeUnit.SECONDS);
        return 0;
      }
      System.err.println("chargeback-flink-job: failed: " + e);
      e.printStackTrace();
      return 1;
    }
  }

  /**
   * The MiniCluster's scratch space (RPC system jar, shuffle and blob files: ~20 MB a run), one directory per
   * process, deleted when it stops. Left-overs of processes that were killed are removed on the next start.
   */
  private static Path scratchDirectory() throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    String prefix = "chargeback-flink-run-";
    try (Stream<Path> old = Files.list(tmp)) {
      old.filter(p -> p.getFileName().toString().startsWith(prefix)).forEach(p -> {
        String pid = p.getFileName().toString().substring(prefix.length()).split("-")[0];
        boolean alive = pid.matches("[0-9]+") && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) deleteQuietly(p);
      });
    }
    return Files.createTempDirectory(prefix + ProcessHandle.current().pid() + "-");
  }

  /** Flink's Hadoop-based S3 file system (it has the recoverable writer FileSink needs), pointed at moto. */
  private static void initializeS3(JobConfig config, Configuration conf) {
    if (config.s3Endpoint() != null) {
      conf.setString("s3.endpoint", config.s3Endpoint());
      conf.setString("s3.endpoint.region", System.getenv().getOrDefault("AWS_REGION", "us-east-1"));
    }
    conf.setString("s3.path.style.access", Boolean.toString(config.s3PathStyle()));
    // Static keys only: the default chain would also try the EC2 metadata endpoint, which a laptop has not.
    conf.setString("s3.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.setString("s3.access-key", firstNonNull(config.s3AccessKey(), System.getenv("AWS_ACCESS_KEY_ID"), "test"));
    conf.setString("s3.secret-key", firstNonNull(config.s3SecretKey(), System.getenv("AWS_SECRET_ACCESS_KEY"), "test"));
    // The S3 file system factory is in the job JAR (flink-s3-fs-hadoop, bundled): found on the classpath.
    FileSystem.initialize(conf, null);
    try {
      FileSystem.get(java.net.URI.create(config.landingPath()));
    } catch (IOException e) {
      throw new IllegalStateException("no S3 file system for " + config.landingPath()
          + ": is flink-s3-fs-hadoop still in the job JAR? cause: " + e.getMessage(), e);
    }
  }

  /** Retained checkpoints under local.state.dir; returns the newest one to resume from, if any. */
  private static Optional<Path> configureState(JobConfig config, Configuration conf) throws IOException {
    // Without a state dir the stop savepoint only serves the final commit and is deleted after it.
    Path savepoints = config.localStateDir() != null
        ? Path.of(config.localStateDir(), "savepoints")
        : Files.createTempDirectory("chargeback-flink-savepoints");
    if (config.localStateDir() == null) savepoints.toFile().deleteOnExit();
    conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, savepoints.toUri().toString());
    if (config.localStateDir() == null) return Optional.empty();
    Path checkpoints = Path.of(config.localStateDir(), "checkpoints");
    Files.createDirectories(checkpoints);
    conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    conf.set(ExecutionCheckpointingOptions.EXTERNALIZED_CHECKPOINT,
        ExternalizedCheckpointCleanup.RETAIN_ON_CANCELLATION);
    return newestSnapshot(checkpoints, savepoints);
  }

  /** The most recent complete checkpoint ({@code <job>/chk-N/_metadata}) or savepoint under the state dir. */
  static Optional<Path> newestSnapshot(Path... roots) throws IOException {
    Path newest = null;
    long newestTime = Long.MIN_VALUE;
    for (Path root : roots) {
      if (!Files.isDirectory(root)) continue;
      try (Stream<Path> files = Files.walk(root, 3)) {
        for (Path meta : (Iterable<Path>) files.filter(p -> p.getFileName().toString().equals("_metadata"))::iterator) {
          long t = Files.getLastModifiedTime(meta).toMillis();
          if (t > newestTime) {
            newestTime = t;
            newest = meta.getParent();
          }
        }
      }
    }
    return Optional.ofNullable(newest);
  }

  private static void awaitRunning(JobClient job) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      JobStatus status = job.getJobStatus().get();
      if (status == JobStatus.RUNNING) return;
      if (status.isGloballyTerminalState()) throw new IllegalStateException("job ended while starting: " + status);
      if (System.nanoTime() > deadline) throw new IllegalStateException("job not RUNNING after 2 minutes: " + status);
      Thread.sleep(100);
    }
  }

  /** On SIGTERM/SIGINT: stop with a savepoint (commits all part files), else cancel. */
  private static void stop(JobClient job, JobConfig config, AtomicBoolean stopping, CompletableFuture<Void> stopped) {
    stopping.set(true);
    try {
      JobStatus status = job.getJobStatus().get(5, TimeUnit.SECONDS);
      if (status.isGloballyTerminalState()) return;
      System.out.println("chargeback-flink-job: stopping (savepoint, then commit of the last part files)");
      try {
        String savepoint = job.stopWithSavepoint(false, null, SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
        System.out.println("chargeback-flink-job: stopped with savepoint " + savepoint);
        if (config.localStateDir() == null) deleteQuietly(new File(java.net.URI.create(savepoint)).toPath());
      } catch (Exception e) {
        System.err.println("chargeback-flink-job: stop with savepoint failed (" + e + "); cancelling");
        job.cancel().get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      System.err.println("chargeback-flink-job: could not stop cleanly: " + e);
    } finally {
      stopped.complete(null);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException ignored) {
      // a leftover temporary savepoint is harmless
    }
  }

  private static String firstNonNull(String... values) {
    for (String v : values) if (v != null && !v.isBlank()) return v;
    return null;
  }
}
