using System.Globalization;
using System.Text.RegularExpressions;

namespace DeepLanguageNetworks.Tests.Scripted;

/// <summary>
/// Free-text world: inputs "Ada Lovelace, a mathematician, was born in 1815 in London.", target "Ada Lovelace; 1815;
/// London". The output layer writes exactly the fields its prompt asks for, in that order — the name ("the person's
/// name"), the year ("the year of birth"), the city ("the city of birth") — and, when it asks for none, a sentence about
/// the person that has none of them ("A mathematician of the records"). So only a prompt asking for all three fields is
/// exactly right, while one asking for one or two earns partial credit (token F1 0.67 or 0.86 for a name of two words
/// and a city of one; the sentence 0), and every field asked for raises it. The backward model
/// improves the current instruction by one field at a time: the field the feedback of a wrong item says is missing
/// when there is feedback, else one of the missing fields at random, or it rewords the instruction uselessly. Exact
/// match therefore sees every proposal fail as the current prompt does and cannot move; a metric with partial credit
/// climbs one field per iteration.
/// </summary>
internal sealed partial class PersonRecordTask : ScriptedTask
{
    public const string NamePhrase = "the person's name";
    public const string YearPhrase = "the year of birth";
    public const string CityPhrase = "the city of birth";

    private static readonly string[] Phrases = [NamePhrase, YearPhrase, CityPhrase];

    private static readonly (string Name, string Job, int Year, string City)[] People =
    [
        ("Ada Lovelace", "mathematician", 1815, "London"), ("Alan Turing", "logician", 1912, "London"), ("Grace Hopper", "programmer", 1906, "New York"),
        ("Kurt Gödel", "logician", 1906, "Brno"), ("Marie Curie", "physicist", 1867, "Warsaw"), ("Emmy Noether", "mathematician", 1882, "Erlangen"),
        ("Srinivasa Ramanujan", "mathematician", 1887, "Erode"), ("Hedy Lamarr", "inventor", 1914, "Vienna"), ("Claude Shannon", "engineer", 1916, "Petoskey"),
        ("Sofia Kovalevskaya", "mathematician", 1850, "Moscow"), ("John von Neumann", "mathematician", 1903, "Budapest"), ("Katherine Johnson", "mathematician", 1918, "White Sulphur Springs"),
        ("Niels Bohr", "physicist", 1885, "Copenhagen"), ("Lise Meitner", "physicist", 1878, "Vienna"), ("Edsger Dijkstra", "programmer", 1930, "Rotterdam"),
        ("Barbara Liskov", "programmer", 1939, "Los Angeles"), ("Tim Berners-Lee", "engineer", 1955, "London"), ("Ibn al-Haytham", "scholar", 965, "Basra"),
        ("Hypatia", "philosopher", 360, "Alexandria"), ("Carl Gauss", "mathematician", 1777, "Brunswick"), ("Évariste Galois", "mathematician", 1811, "Bourg-la-Reine"),
        ("Chien-Shiung Wu", "physicist", 1912, "Liuhe"), ("Leonhard Euler", "mathematician", 1707, "Basel"), ("Dorothy Vaughan", "mathematician", 1910, "Kansas City"),
    ];

    private static readonly string[] Rewordings = ["Read the text carefully.", "Answer the question about the person.", "Be precise."];

    public static PersonRecordTask Instance { get; } = new();

    public override IReadOnlyList<string> Labels { get; } = [];

    public override IReadOnlyList<double> AnswerProbabilities(OutputCall call) =>
        throw new InvalidOperationException("The person-record task answers in free text; it has no class probabilities to score.");

    public override string Answer(OutputCall call)
    {
        var person = Parse(call.Input);
        var fields = new List<string>();
        if (Asks(call.Prompt, NamePhrase))
        {
            fields.Add(person.Name);
        }

        if (Asks(call.Prompt, YearPhrase))
        {
            fields.Add(person.Year.ToString(CultureInfo.InvariantCulture));
        }

        if (Asks(call.Prompt, CityPhrase))
        {
            fields.Add(person.City);
        }

        return fields.Count == 0 ? $"A {person.Job} of the records" : string.Join("; ", fields);
    }

    public override string Propose(MetaPromptCall call, Random random)
    {
        var current = call.CurrentInstruction ?? string.Empty;
        var missing = Phrases.Where(p => !Asks(current, p)).ToArray();
        if (missing.Length == 0 || random.NextDouble() < 0.2)
        {
            return (current + " " + Rewordings[random.Next(Rewordings.Length)]).Trim();
        }

        var named = call.Examples.Where(e => !e.WasCorrect && e.Feedback is not null).Select(e => Missing(e)).FirstOrDefault(p => p is not null && missing.Contains(p));
        var phrase = named ?? missing[random.Next(missing.Length)];
        return (current + $" Write {phrase}.").Trim();
    }

    /// <summary>
    /// A judge through a chat client, for the judge metric: reads the correct and the student output from the grading
    /// prompt and rates 1 + 4 × (fields right / 3), rounded, with a reason naming the fields missing.
    /// </summary>
    public static string Judge(string gradingPrompt)
    {
        var correct = Section(gradingPrompt, "## Correct output").Split(';').Select(f => f.Trim()).ToArray();
        var student = Section(gradingPrompt, "## Student output");
        var labels = new[] { "the name", "the year of birth", "the city of birth" };
        var right = correct.Select((f, i) => (Field: f, Label: labels[i])).Where(f => student.Contains(f.Field, StringComparison.Ordinal)).ToArray();
        var rating = (int)Math.Round(1 + (4.0 * right.Length / correct.Length), MidpointRounding.AwayFromZero);
        var missingLabels = labels.Take(correct.Length).Except(right.Select(r => r.Label)).ToArray();
        var reason = missingLabels.Length == 0 ? "All fields are right." : $"The output lacks {string.Join(" and ", missingLabels)}.";
        return $"Rating: {rating}\nReason: {reason}";
    }

    /// <summary>Disjoint train, dev and test sets of the 24 people (12 / 6 / 6).</summary>
    public static (Example[] Train, Example[] Dev, Example[] Test) Splits()
    {
        var examples = People.Select((p, i) => new Example($"{p.Name}, a {p.Job}, was born in {p.Year} in {p.City}.", $"{p.Name}; {p.Year}; {p.City}") { Source = $"people:{i}" }).ToArray();
        return (examples[..12], examples[12..18], examples[18..]);
    }

    // Which field a wrong item's feedback says is missing: token F1 lists the missing words, the judge names the field.
    private static string? Missing(ShownExample example)
    {
        var feedback = example.Feedback!;
        var person = Parse(example.Input);
        var words = feedback.Contains("missing from the output:", StringComparison.Ordinal) ? feedback[(feedback.IndexOf("missing from the output:", StringComparison.Ordinal) + 24)..] : feedback;
        words = words.Split('.')[0];
        if (words.Contains(person.Name.Split(' ')[0], StringComparison.OrdinalIgnoreCase) || words.Contains("the name", StringComparison.Ordinal))
        {
            return NamePhrase;
        }

        if (words.Contains(person.Year.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal) || words.Contains("year", StringComparison.Ordinal))
        {
            return YearPhrase;
        }

        return words.Contains(person.City.Split(' ')[0], StringComparison.OrdinalIgnoreCase) || words.Contains("city", StringComparison.Ordinal) ? CityPhrase : null;
    }

    private static (string Name, string Job, int Year, string City) Parse(string input)
    {
        var match = RecordPattern().Match(input);
        if (!match.Success)
        {
            throw new InvalidOperationException($"Not a person record: {input}");
        }

        return (match.Groups["name"].Value, match.Groups["job"].Value, int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture), match.Groups["city"].Value);
    }

    private static string Section(string prompt, string heading)
    {
        var start = prompt.IndexOf(heading + "\n", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"The grading prompt has no '{heading}' section.");
        }

        var lines = prompt[(start + heading.Length + 1)..].Split('\n').TakeWhile(l => l.StartsWith("> ", StringComparison.Ordinal)).Select(l => l[2..]);
        return string.Join("\n", lines);
    }

    private static bool Asks(string prompt, string phrase) => prompt.Contains(phrase, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^(?<name>.+?), an? (?<job>\w+), was born in (?<year>\d+) in (?<city>.+)\.$")]
    private static partial Regex RecordPattern();
}
