using System.Text;

namespace DeepLanguageNetworks.Paper;

/// <summary>
/// What a task is: its id, its family (which decides the file format and the input layout), the instruction a run
/// starts from, its answer classes with their verbalizers, and how raw dataset labels map onto those classes.
/// The nine tasks of the paper are in <see cref="PaperTasks"/>; build your own to load another corpus laid out like one
/// of the paper's families with <see cref="PaperDatasets.Load(TaskDefinition, string, PaperDatasetOptions?)"/> (for
/// any other data, use the core's <see cref="Dataset"/> and <see cref="ExampleFile"/>).
/// </summary>
public sealed class TaskDefinition
{
    private readonly KeyValuePair<string, string>[] _labelMapping;
    private readonly OutputClass[] _classes;

    /// <summary>Creates a task definition and checks that it is consistent.</summary>
    /// <param name="id">The task id, for example <c>navigate</c>; not empty.</param>
    /// <param name="family">The collection the task comes from.</param>
    /// <param name="description">A short human-readable description of the task.</param>
    /// <param name="initialInstruction">The instruction the output layer's prompt starts from (the paper's π1 initialisation); may be empty, not <see langword="null"/>.</param>
    /// <param name="classes">The answer classes; empty for free-text tasks. Labels must be distinct after normalisation.</param>
    /// <param name="labelMapping">Raw dataset label → class label, in the order the options are listed in the input (for example <c>"0"</c> → <c>negative</c>). Required for <see cref="DatasetFamily.OrderedPrompt"/> and <see cref="DatasetFamily.Leopard"/>; every value must name a class.</param>
    /// <param name="shuffleOptions">Whether the lettered options of train and dev items are shuffled when splits are built (BBH multiple-choice tasks).</param>
    /// <param name="taskQuestion">A question put before each input (Leopard tasks), or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">An argument is empty or the classes and the mapping disagree; the message says which.</exception>
    public TaskDefinition(
        string id,
        DatasetFamily family,
        string description,
        string initialInstruction,
        IReadOnlyList<OutputClass> classes,
        IReadOnlyList<KeyValuePair<string, string>>? labelMapping = null,
        bool shuffleOptions = false,
        string? taskQuestion = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(initialInstruction);
        ArgumentNullException.ThrowIfNull(classes);
        if (!Enum.IsDefined(family))
        {
            throw new ArgumentOutOfRangeException(nameof(family), family, "Unknown dataset family.");
        }

        Id = id;
        Family = family;
        Description = description;
        InitialInstruction = initialInstruction;
        ShuffleOptions = shuffleOptions;
        TaskQuestion = string.IsNullOrWhiteSpace(taskQuestion) ? null : taskQuestion.Trim();
        _classes = classes.ToArray();
        _labelMapping = labelMapping?.ToArray() ?? [];

        ValidateClasses();
        ValidateLabelMapping();
    }

    /// <summary>The output space of a network for this task: its classes, or free text for a task without classes.</summary>
    public OutputSpace OutputSpace => IsClassification ? OutputSpace.FromClasses(_classes) : OutputSpace.FreeText();

    /// <summary>The task id, for example <c>navigate</c> or <c>trec</c>.</summary>
    public string Id { get; }

    /// <summary>The collection the task comes from.</summary>
    public DatasetFamily Family { get; }

    /// <summary>A short human-readable description of the task.</summary>
    public string Description { get; }

    /// <summary>The instruction the output layer's prompt starts from (the paper's initial π1).</summary>
    public string InitialInstruction { get; }

    /// <summary>The answer classes in a fixed order; empty for free-text tasks.</summary>
    public IReadOnlyList<OutputClass> Classes => _classes;

    /// <summary>Raw dataset label → class label, in the order the options are listed in formatted inputs; empty for BBH tasks, whose targets are used as given.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> LabelMapping => _labelMapping;

    /// <summary>Whether lettered options of train and dev items are shuffled when splits are built.</summary>
    public bool ShuffleOptions { get; }

    /// <summary>The question put before each input (Leopard tasks), or <see langword="null"/>.</summary>
    public string? TaskQuestion { get; }

    /// <summary>Whether the task has a closed set of answer classes.</summary>
    public bool IsClassification => _classes.Length > 0;

    /// <summary>Finds the class an answer names, after <see cref="AnswerNormalizer"/> normalisation.</summary>
    /// <param name="answer">A target or a prediction, for example <c>(A)</c>, <c>Yes</c> or <c>negative</c>.</param>
    /// <returns>The class, or <see langword="null"/> when the answer names none.</returns>
    public OutputClass? FindClass(string? answer)
    {
        foreach (var taskClass in _classes)
        {
            if (taskClass.Matches(answer))
            {
                return taskClass;
            }
        }

        return null;
    }

    /// <summary>Maps a raw dataset label (for example <c>"0"</c>) to its class label (for example <c>negative</c>).</summary>
    /// <param name="rawLabel">The label as written in the data file; compared exactly.</param>
    /// <param name="classLabel">The mapped label when found.</param>
    /// <returns><see langword="true"/> when the mapping has <paramref name="rawLabel"/>.</returns>
    public bool TryMapLabel(string rawLabel, out string classLabel)
    {
        foreach (var pair in _labelMapping)
        {
            if (string.Equals(pair.Key, rawLabel, StringComparison.Ordinal))
            {
                classLabel = pair.Value;
                return true;
            }
        }

        classLabel = string.Empty;
        return false;
    }

    /// <summary>
    /// Lays out one input as the network sees it. BBH inputs already hold their options and are returned unchanged.
    /// Ordered-Prompt and Leopard inputs become <c>text ⏎ Options: ⏎ - label1 ⏎ - label2 …</c> (labels in mapping
    /// order), and Leopard inputs get <see cref="TaskQuestion"/> in front.
    /// </summary>
    /// <param name="text">The raw sentence or input.</param>
    /// <returns>The formatted input.</returns>
    public string FormatInput(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Family == DatasetFamily.Bbh || _labelMapping.Length == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 64);
        if (TaskQuestion is not null)
        {
            builder.Append(TaskQuestion).Append(' ');
        }

        // Trailing newlines in tweets would otherwise leave a blank line before the options block.
        builder.Append(text.Trim()).Append('\n').Append(OptionsBlock.Header);
        foreach (var pair in _labelMapping)
        {
            builder.Append('\n').Append("- ").Append(pair.Value);
        }

        return builder.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Id} ({Family}, {_classes.Length} classes)";

    private void ValidateClasses()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var taskClass in _classes)
        {
            ArgumentNullException.ThrowIfNull(taskClass, "classes");
            var normalized = AnswerNormalizer.Normalize(taskClass.Label);
            if (normalized.Length == 0)
            {
                throw new ArgumentException(
                    $"Task {Id}: class label \"{taskClass.Label}\" has no letters or digits, so no answer could ever match it.",
                    "classes");
            }

            if (!seen.Add(normalized))
            {
                throw new ArgumentException(
                    $"Task {Id}: two classes normalise to the same label \"{normalized}\".", "classes");
            }
        }
    }

    private void ValidateLabelMapping()
    {
        if (Family != DatasetFamily.Bbh && _labelMapping.Length == 0)
        {
            throw new ArgumentException(
                $"Task {Id}: {Family} tasks need a label mapping (raw label → class label).", "labelMapping");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in _labelMapping)
        {
            if (pair.Key is null || !keys.Add(pair.Key))
            {
                throw new ArgumentException(
                    $"Task {Id}: the label mapping lists raw label \"{pair.Key}\" twice or as null.", "labelMapping");
            }

            if (_classes.Length > 0 && FindClass(pair.Value) is null)
            {
                throw new ArgumentException(
                    $"Task {Id}: the label mapping sends \"{pair.Key}\" to \"{pair.Value}\", which is not one of the classes ({string.Join(", ", _classes.Select(c => c.Label))}).",
                    "labelMapping");
            }
        }
    }
}
