// Worker of the shared-cache tests: dotnet Dln.CacheWorker.dll <job.json> <result.json>
// Trains the network described by the job against its server, with its Redis cache, and writes a WorkerResult. The API
// key comes from the DLN_WORKER_API_KEY environment variable, not the command line. Warnings go to standard error.
using System.Text.Json;
using DeepLanguageNetworks;
using DeepLanguageNetworks.Caching.Redis;
using DeepLanguageNetworks.CacheWorker;
using Microsoft.Extensions.Logging;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Dln.CacheWorker <job.json> <result.json>");
    return 2;
}

var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
var job = JsonSerializer.Deserialize<WorkerJob>(await File.ReadAllTextAsync(args[0]), json)
    ?? throw new InvalidDataException($"{args[0]} holds no job.");
using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
    .AddFilter(typeof(RedisCacheStore).FullName, LogLevel.Information));
var logger = loggers.CreateLogger("Dln.CacheWorker");

// A generous operation timeout: the test counts backend calls, and one lookup timing out on a loaded machine would
// switch the cache off and add calls that say nothing about sharing.
using var cache = job.Redis is null ? null : RedisCacheStore.Connect(job.Redis, new RedisCacheStoreOptions { OperationTimeout = TimeSpan.FromSeconds(15) },
    loggers.CreateLogger<RedisCacheStore>());
var result = await TrainingJob.RunAsync(job.BaseUrl, Environment.GetEnvironmentVariable("DLN_WORKER_API_KEY"), cache, job.Train, job.Dev, logger);
var report = new WorkerResult(result.BestPrompts, result.BestDevAccuracy, result.Usage.Total.Calls, result.Usage.Total.CacheHits, cache?.IsAvailable ?? false);
await File.WriteAllTextAsync(args[1], JsonSerializer.Serialize(report, json));
Console.WriteLine($"trained: best dev {result.BestDevAccuracy:F3}, {report.Calls} backend calls, {report.CacheHits} cache hits");
return 0;
