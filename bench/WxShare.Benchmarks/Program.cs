using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// dotnet run -c Release --project bench/WxShare.Benchmarks -- --filter '*'
// In-process: this Release build is measured as it is, instead of BenchmarkDotNet rebuilding a copy per job, which
// on the shared 2-core machine outlasts its build timeout.
var config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
