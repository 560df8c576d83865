using System.Globalization;

namespace DeepLanguageNetworks.Samples.Benchmark;

/// <summary>The command line of the sample, checked as it is read.</summary>
/// <remarks>
/// Hand-rolled rather than a command-line library: nine options of the form <c>--name value</c> do not justify a
/// dependency, and every error names the option and what it expects.
/// </remarks>
internal sealed record BenchmarkOptions
{
    /// <summary>The seeds of the paper's tables.</summary>
    public static IReadOnlyList<int> PaperSeeds { get; } = [13, 42, 25];

    /// <summary>The help text.</summary>
    public const string Usage = """
        usage: dotnet run --project samples/Dln.Samples.PaperTasks -- [options]
          --tasks a,b,...      tasks to run (default: all nine): hyperbaton, navigate, date_understanding,
                               logical_deduction_seven_objects, mpqa, trec, subj, disaster, airline
          --methods a,b,...    N-shot (any N), dln1, dln2 (default: 0-shot,5-shot,dln1,dln2)
          --seeds a,b,...      run seeds: they vary the training draws only; the data split is fixed by data seed 42 (default: 13,42,25)
          --iterations N       training iterations of dln1 and dln2 (default: 2 on the local model, 20 otherwise)
          --max-train N|all    class-balanced caps on the splits (default on the local model: 40 / 12 / 20;
          --max-dev N|all      otherwise all, the paper's sizes)
          --max-test N|all
          --scale local|paper  sizes and trainer settings (default: local for the bundled model, paper otherwise)
          --racing on|off      dln1 and dln2 race their candidate prompts (CandidateRacingOptions.LowCost) and stop
                               validations that cannot beat the best early (default: off, the paper's method)
          --out FOLDER         also write results.json, results.md and every network (networks/*.json) there
          --run-folder FOLDER  where every run keeps its run folder (report.md, training-curve.png), with the
                               dev accuracy of all runs per method in dev-accuracy-<method>.png
                               (default: runs/paper-tasks-<time>)
          --no-run-folder      keep no run folders
        """;

    /// <summary>Whether <c>--help</c> was given.</summary>
    public bool ShowHelp { get; init; }

    /// <summary>The tasks, in the paper's order unless given otherwise.</summary>
    public IReadOnlyList<TaskDefinition> Tasks { get; init; } = PaperTasks.All;

    /// <summary>The methods, in table order.</summary>
    public IReadOnlyList<Method> Methods { get; init; } = Method.Default;

    /// <summary>The run seeds.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = PaperSeeds;

    /// <summary>Training iterations; <see langword="null"/> for the scale's.</summary>
    public int? Iterations { get; init; }

    /// <summary>Cap on the training examples; <see langword="null"/> when not given (the scale decides).</summary>
    public SplitCap? MaxTrain { get; init; }

    /// <summary>Cap on the dev examples; <see langword="null"/> when not given.</summary>
    public SplitCap? MaxDev { get; init; }

    /// <summary>Cap on the test examples; <see langword="null"/> when not given.</summary>
    public SplitCap? MaxTest { get; init; }

    /// <summary>The scale; <see langword="null"/> to choose it from the backend.</summary>
    public RunScale? Scale { get; init; }

    /// <summary>Whether the DLN methods race their candidates and stop validations early.</summary>
    public bool Racing { get; init; }

    /// <summary>A folder for results.json and results.md, or null.</summary>
    public string? OutputFolder { get; init; }

    /// <summary>The folder of the runs' run folders; <see langword="null"/> for the default under <c>runs/</c>.</summary>
    public string? RunFolder { get; init; }

    /// <summary>Whether runs keep run folders (<c>--no-run-folder</c> turns it off).</summary>
    public bool KeepRunFolders { get; init; } = true;

    /// <summary>Reads the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">An unknown option, a missing value or a bad value; the message says which and what is expected.</exception>
    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                return options with { ShowHelp = true };
            }

            if (name == "--no-run-folder")
            {
                options = options with { KeepRunFolders = false };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value.");
            }

            var value = args[++i];
            options = name switch
            {
                "--tasks" => options with { Tasks = List(value).Select(PaperTasks.Get).Distinct().ToArray() },
                "--methods" => options with { Methods = List(value).Select(Method.Parse).DistinctBy(m => m.Name).ToArray() },
                "--seeds" => options with { Seeds = List(value).Select(s => Integer(name, s, minimum: int.MinValue)).Distinct().ToArray() },
                "--iterations" => options with { Iterations = Integer(name, value, minimum: 0) },
                "--max-train" => options with { MaxTrain = Cap(name, value) },
                "--max-dev" => options with { MaxDev = Cap(name, value) },
                "--max-test" => options with { MaxTest = Cap(name, value) },
                "--scale" => options with { Scale = RunScale.Parse(value) },
                "--out" => options with { OutputFolder = value },
                "--run-folder" => options with { RunFolder = value },
                "--racing" => options with { Racing = OnOff(name, value) },
                _ => throw new ArgumentException($"Unknown option \"{name}\"."),
            };
        }

        return options;
    }

    private static string[] List(string value)
    {
        var items = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return items.Length > 0 ? items : throw new ArgumentException($"Expected a comma-separated list; got \"{value}\".");
    }

    private static int Integer(string option, string value, int minimum) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number >= minimum
            ? number
            : throw new ArgumentException($"{option} expects a whole number{(minimum > int.MinValue ? $" of at least {minimum}" : string.Empty)}; got \"{value}\".");

    private static bool OnOff(string option, string value) => value.ToLowerInvariant() switch
    {
        "on" => true,
        "off" => false,
        _ => throw new ArgumentException($"{option} expects on or off; got \"{value}\"."),
    };

    private static SplitCap Cap(string option, string value) =>
        new(value.Equals("all", StringComparison.OrdinalIgnoreCase) ? null : Integer(option, value, minimum: 1));
}
