namespace DeepLanguageNetworks.Paper;

/// <summary>
/// The nine tasks of the Deep Language Networks paper (Sordoni et al., NeurIPS 2023): four from BIG-Bench-Hard, three
/// from Ordered-Prompt and two from Leopard, with the initial instructions, classes, verbalizers and label mappings
/// the paper's code uses. Load their data with <see cref="PaperDatasets.Load(string, PaperDatasetOptions?)"/> (embedded BBH and Ordered-Prompt data) or <see cref="PaperDatasets.Load(string, string, PaperDatasetOptions?)"/> (a folder; Leopard).
/// </summary>
public static class PaperTasks
{
    /// <summary>BBH hyperbaton: pick the sentence whose adjectives are in the correct English order.</summary>
    public static TaskDefinition Hyperbaton { get; } = new(
        "hyperbaton",
        DatasetFamily.Bbh,
        "Hyper. (BIG-Bench-Hard): choose which of two phrases orders its adjectives correctly.",
        "Which sentence has the correct adjective order:",
        LetterClasses(2),
        shuffleOptions: true);

    /// <summary>BBH navigate: follow movement instructions and say whether they end at the start (Yes / No).</summary>
    public static TaskDefinition Navigate { get; } = new(
        "navigate",
        DatasetFamily.Bbh,
        "Nav. (BIG-Bench-Hard): follow a list of steps and turns and tell whether they lead back to the start.",
        "Read the following sentence, then determine whether you return to the starting point.",
        [new OutputClass("yes", ["yes", "Yes"]), new OutputClass("no", ["no", "No"])],
        shuffleOptions: false);

    /// <summary>BBH date understanding: infer a date from a short context (six options).</summary>
    public static TaskDefinition DateUnderstanding { get; } = new(
        "date_understanding",
        DatasetFamily.Bbh,
        "Date. (BIG-Bench-Hard): work out a date (MM/DD/YYYY) from a short story about dates.",
        "Infer the date from context.",
        LetterClasses(6),
        shuffleOptions: true);

    /// <summary>BBH logical deduction with seven objects: order seven objects from clues (seven options).</summary>
    public static TaskDefinition LogicalDeductionSevenObjects { get; } = new(
        "logical_deduction_seven_objects",
        DatasetFamily.Bbh,
        "Logic.7 (BIG-Bench-Hard): deduce the order of seven objects from a set of consistent clues.",
        "A seven-object logical deduction task which requires deducing the order of a sequence of objects.",
        LetterClasses(7),
        shuffleOptions: true);

    /// <summary>Ordered-Prompt MPQA: polarity of a short opinion phrase.</summary>
    public static TaskDefinition Mpqa { get; } = Mapped(
        "mpqa",
        DatasetFamily.OrderedPrompt,
        "Mpqa (Ordered-Prompt): tell whether a short opinion phrase is negative or positive.",
        "Read the following review, then choose whether it is negative or positive.",
        [("0", "negative"), ("1", "positive")]);

    /// <summary>Ordered-Prompt TREC: the kind of answer a question asks for (six classes).</summary>
    public static TaskDefinition Trec { get; } = Mapped(
        "trec",
        DatasetFamily.OrderedPrompt,
        "Trec (Ordered-Prompt): classify a question by the type of answer it expects.",
        "Read the following question, then choose whether it is about a description, entity, expression, human, location or number.",
        [("0", "description"), ("1", "entity"), ("2", "expression"), ("3", "human"), ("4", "location"), ("5", "number")]);

    /// <summary>Ordered-Prompt SUBJ: whether a sentence is subjective or objective.</summary>
    public static TaskDefinition Subj { get; } = Mapped(
        "subj",
        DatasetFamily.OrderedPrompt,
        "Subj (Ordered-Prompt): tell whether a movie-review sentence states an opinion or a fact.",
        "Read the following sentence, then choose whether it is subjective or objective.",
        [("0", "subjective"), ("1", "objective")]);

    /// <summary>Leopard disaster: whether a tweet is about a disaster (yes / no).</summary>
    public static TaskDefinition Disaster { get; } = Mapped(
        "disaster",
        DatasetFamily.Leopard,
        "Disaster (Leopard): tell whether a tweet is about an actual disaster.",
        "Read the following sentence, then choose whether it is relevant to a disaster.",
        [("Not Relevant", "no"), ("Relevant", "yes")],
        taskQuestion: "Is the following tweet relevant to a disaster?");

    /// <summary>Leopard airline: sentiment of a tweet addressed to an airline.</summary>
    public static TaskDefinition Airline { get; } = new(
        "airline",
        DatasetFamily.Leopard,
        "Airline (Leopard): classify the sentiment of a tweet sent to an airline.",
        "Read the following sentence, then choose whether it is positive, negative, or neutral.",
        [
            new OutputClass("positive", ["positive", "Positive"]),
            new OutputClass("negative", ["negative", "Negative"]),
            new OutputClass("neutral", ["neutral", "Neutral"]),
        ],
        [new("positive", "positive"), new("negative", "negative"), new("neutral", "neutral")],
        taskQuestion: "Is the following tweet positive, negative, or neutral?");

    /// <summary>All nine tasks in the paper's order.</summary>
    public static IReadOnlyList<TaskDefinition> All { get; } =
    [
        Hyperbaton, Navigate, DateUnderstanding, LogicalDeductionSevenObjects, Mpqa, Trec, Subj, Disaster, Airline,
    ];

    /// <summary>The ids of the nine tasks in the paper's order.</summary>
    public static IReadOnlyList<string> Ids { get; } = All.Select(task => task.Id).ToArray();

    /// <summary>Looks a task up by id (case-insensitive).</summary>
    /// <param name="id">A task id such as <c>navigate</c> or <c>trec</c>.</param>
    /// <returns>The task definition.</returns>
    /// <exception cref="ArgumentException">No paper task has that id; the message lists the known ids.</exception>
    public static TaskDefinition Get(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return TryGet(id, out var task)
            ? task
            : throw new ArgumentException($"Unknown task \"{id}\". Known tasks: {string.Join(", ", Ids)}.", nameof(id));
    }

    /// <summary>Looks a task up by id (case-insensitive) without throwing.</summary>
    /// <param name="id">A task id.</param>
    /// <param name="task">The task when found.</param>
    /// <returns><see langword="true"/> when found.</returns>
    public static bool TryGet(string? id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TaskDefinition? task)
    {
        task = All.FirstOrDefault(candidate => string.Equals(candidate.Id, id?.Trim(), StringComparison.OrdinalIgnoreCase));
        return task is not null;
    }

    /// <summary>Classes <c>a</c>, <c>b</c>, … with verbalizers <c>a|A</c>, <c>b|B</c>, … for BBH multiple-choice tasks.</summary>
    private static OutputClass[] LetterClasses(int count) =>
        Enumerable.Range(0, count)
            .Select(i => new OutputClass(((char)('a' + i)).ToString(), [((char)('a' + i)).ToString(), ((char)('A' + i)).ToString()]))
            .ToArray();

    /// <summary>A task whose classes are the mapped labels, each its own single verbalizer.</summary>
    private static TaskDefinition Mapped(
        string id, DatasetFamily family, string description, string instruction, (string Raw, string Label)[] mapping, string? taskQuestion = null) =>
        new(
            id,
            family,
            description,
            instruction,
            mapping.Select(pair => new OutputClass(pair.Label, [pair.Label])).ToArray(),
            mapping.Select(pair => new KeyValuePair<string, string>(pair.Raw, pair.Label)).ToArray(),
            shuffleOptions: false,
            taskQuestion: taskQuestion);
}
