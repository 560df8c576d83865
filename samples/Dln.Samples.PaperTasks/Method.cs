using System.Globalization;

namespace DeepLanguageNetworks.Samples.Benchmark;

/// <summary>
/// One column of the benchmark: an n-shot baseline (the task instruction with n class-balanced training examples, no
/// training), DLN-1 or DLN-2. All of them are runs of the same <see cref="VariationalTrainer"/>: a baseline is a run
/// with 0 iterations, which only measures dev accuracy (and, with shots, fixes the demonstrations used on test).
/// </summary>
/// <param name="Name">The name used on the command line and in the tables: <c>0-shot</c>, <c>5-shot</c>, <c>dln1</c>, <c>dln2</c>.</param>
/// <param name="Shots">In-context examples of a baseline (0 for the DLN methods).</param>
/// <param name="Depth">Layers of the network: 1, or 2 for DLN-2.</param>
/// <param name="Trains">Whether the prompts are learned.</param>
internal sealed record Method(string Name, int Shots, int Depth, bool Trains)
{
    /// <summary>The methods of the paper's main comparison, in table order.</summary>
    public static IReadOnlyList<Method> Default { get; } = [Parse("0-shot"), Parse("5-shot"), Parse("dln1"), Parse("dln2")];

    /// <summary>Reads a method name: <c>N-shot</c> for any N ≥ 0, <c>dln1</c> or <c>dln2</c> (case-insensitive).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The method.</returns>
    /// <exception cref="ArgumentException">Not a known method.</exception>
    public static Method Parse(string name)
    {
        var text = name.Trim().ToLowerInvariant();
        if (text is "dln1" or "dln-1")
        {
            return new Method("dln1", 0, 1, true);
        }

        if (text is "dln2" or "dln-2")
        {
            return new Method("dln2", 0, 2, true);
        }

        if (text.EndsWith("-shot", StringComparison.Ordinal) &&
            int.TryParse(text[..^"-shot".Length], NumberStyles.None, CultureInfo.InvariantCulture, out var shots))
        {
            return new Method($"{shots}-shot", shots, 1, false);
        }

        throw new ArgumentException($"Unknown method \"{name}\": expected N-shot (for example 0-shot or 5-shot), dln1 or dln2.");
    }

    /// <summary>The network this method starts from: the task instruction as the output prompt; DLN-2 adds an empty reasoning layer.</summary>
    /// <param name="model">The model of every layer.</param>
    /// <param name="task">The task.</param>
    /// <param name="scale">Sizes for the backend.</param>
    /// <returns>The untrained network.</returns>
    public Dln CreateNetwork(ILanguageModel model, TaskDefinition task, RunScale scale) => Depth == 1
        ? Dln.CreateOneLayer(model, task.InitialInstruction, task.OutputSpace)
        : Dln.CreateTwoLayer(
            model,
            hiddenPrompt: string.Empty,
            outputPrompt: task.InitialInstruction,
            task.OutputSpace,
            // As in the paper's DLN-2 scripts for BIG-Bench Hard: the reasoning layer reads the question without its
            // answer options (the output layer still sees them).
            new DlnOptions { StripOptionsForHiddenLayers = task.Family == DatasetFamily.Bbh },
            scale.HiddenMaxTokens);

    /// <summary>The trainer settings of this method.</summary>
    /// <param name="scale">Sizes for the backend.</param>
    /// <param name="iterations">Training iterations of the DLN methods.</param>
    /// <param name="seed">The run seed.</param>
    /// <param name="racing">Whether a DLN method races its candidates and stops validations early.</param>
    /// <returns>The options.</returns>
    public VariationalTrainerOptions TrainerOptions(RunScale scale, int iterations, int seed, bool racing = false)
    {
        var options = this switch
        {
            { Trains: false } => scale.Dln1 with { Iterations = 0, FewShotExamples = Shots, Seed = seed },
            { Depth: 1 } => scale.Dln1 with { Iterations = iterations, Seed = seed },
            _ => scale.Dln2 with { Iterations = iterations, Seed = seed },
        };
        return racing && Trains ? options with { CandidateRacing = CandidateRacingOptions.LowCost, StopValidationEarly = true } : options;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
