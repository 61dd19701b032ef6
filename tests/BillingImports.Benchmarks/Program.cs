using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using BillingImports.Benchmarks;
using BillingImports.Benchmarks.Support;

// `polling` prints the polling report; `paired [rounds] [batch]` the paired per-call comparison;
// `load [rounds] [in-flight] [calls]` the throughput comparison; `loadone <endpoint> <contender>
// [rounds] [in-flight] [calls]` one contender of it alone, round by round; `breakdown [calls]` what each part
// of the pipeline allocates; `allocations <endpoint> <contender> [calls]` a contender's bytes by
// type; `timeouts [operations]` what starting and ending an attempt's timeout costs; `serve` is
// the loopback server's own process. Anything else goes to BenchmarkDotNet (e.g. --filter '*').
switch (args.FirstOrDefault())
{
    case "polling":
        // `polling 40` runs its rate-limited part at 40 requests a second instead of 1,000.
        await PollingReport.RunAsync(Console.Out, Arg(1, 1_000));
        return;
    case "serve":
        await LoopbackServer.ServeAsync(Console.Out, Console.In);
        return;
    case "paired":
        await PairedComparison.RunAsync(Console.Out, Arg(1, 150), Arg(2, 100));
        return;
    case "load":
        await LoadComparison.RunAsync(Console.Out, Arg(1, 7), Arg(2, 1_000), Arg(3, 20_000));
        return;
    case "breakdown":
        await PipelineBreakdown.RunAsync(Console.Out, Arg(1, 20_000));
        return;
    case "loadone":
        await LoadComparison.RunContenderAsync(Console.Out, args[1], args[2], Arg(3, 7), Arg(4, 1_000), Arg(5, 20_000));
        return;
    case "timeouts":
        await AttemptTimeoutCost.RunAsync(Console.Out, Arg(1, 4_000_000));
        return;
    case "allocations":
        await AllocationProfile.RunAsync(Console.Out, args[1], args[2], Arg(3, 200_000));
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

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
