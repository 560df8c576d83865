namespace DeepLanguageNetworks;

/// <summary>One record of a data file (a JSON object or a CSV row), with where it is for errors.</summary>
internal interface IExampleRecord
{
    /// <summary>A short place for <see cref="Example.Source"/>, for example <c>tickets/train.jsonl:12</c>.</summary>
    string Location { get; }

    /// <summary>The text of <paramref name="field"/>; throws a located error when it is missing, not text, or (unless allowed) blank.</summary>
    string GetText(string field, bool allowEmpty);

    /// <summary>An error at this record, about <paramref name="field"/> when given.</summary>
    DatasetFormatException Error(string? field, string problem);
}
