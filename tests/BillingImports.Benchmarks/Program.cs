using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using BillingImports.Benchmarks;

// `polling` prints the polling report; anything else goes to BenchmarkDotNet (e.g. --filter '*').
// `polling 40` runs its rate-limited part at 40 requests a second instead of 1,000.
if (args.Length > 0 && args[0] == "polling")
{
    await PollingReport.RunAsync(Console.Out, args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000);
    return;
}

// In-process runs: the SDK project regenerates code on build, and BenchmarkDotNet's usual
// out-of-process runner would rebuild it in a second project for no gain. Ratios against the
// floor, measured side by side in one run, are the figures that matter on shared machines.
var config = ManualConfig.Create(DefaultConfig.Instance)
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(12))
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddColumn(BaselineAllocationRatioColumn.RatioMean)
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(DeserializationBenchmarks).Assembly).Run(args, config);
