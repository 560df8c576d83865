using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DeepLanguageNetworks.Tests.Scripted;

namespace DeepLanguageNetworks.Benchmarks.Learnable;

/// <summary>
/// A simulated LLM whose accuracy depends on what the prompt says, so that calls-to-accuracy can be measured without a
/// real model: it plays every role of a training run on <see cref="LearnableTask"/> (output-layer answers, hidden
/// texts, their teacher-forced scores, posterior samples, prompt proposals), deterministically, from the request alone.
/// </summary>
/// <remarks>
/// <para><b>Output layer.</b> For a case of kind k, a prompt holding k's right rule answers right with probability
/// <see cref="RuleConfidence"/> (for the kinds decided by the sum, only when the text read states a sum, and by that sum), one holding a wrong
/// rule answers by that rule, and one holding none answers yes with probability 0.55; a sentence that says what to
/// answer when in doubt shifts every answer (a broad effect, as instructions have on real models). Then noise, as a
/// real model has: a logit offset of up to ±<see cref="CaseNoise"/> that belongs to the case (hard cases are hard under
/// any prompt) and one of up to ±<see cref="PromptNoise"/> that belongs to the prompt and the case (any rewording moves
/// every answer a little), both hashes, so that a prompt's score on a few examples misleads.</para>
/// <para><b>Hidden layer.</b> Greedily it states the sum of the codes only when its prompt asks to add them; sampled
/// (the posterior), it states the right sum more often with the asking prompt or the hint. Teacher forcing finds a sum
/// likely under the asking prompt and a plain remark likely without it.</para>
/// <para><b>Backward model.</b> From the meta-prompt it reads the current instruction and the items shown; an edit adds
/// (or replaces) the rule of the kind of a wrongly answered item, the right rule half of the time, a wrong one 30%, a
/// useless sentence otherwise (two such edits when asked for worked examples); "shorter" drops a sentence; "rewrite"
/// drops some and makes two edits. For the hidden layer it
/// proposes to add the codes when the correct outputs shown state sums. So prompts must be searched, and scores are
/// noisy: a fair ground for comparing selection methods by calls and accuracy.</para>
/// </remarks>
internal sealed partial class LearnableWorldModel : ILanguageModel
{
    /// <summary>Largest logit offset of the output layer's noise that belongs to the case alone.</summary>
    public const double CaseNoise = 1.0;

    /// <summary>Largest logit offset of the output layer's noise that belongs to the prompt and the case.</summary>
    public const double PromptNoise = 0.6;

    /// <summary>P(right answer) of a prompt that states the right rule of a case's kind.</summary>
    public const double RuleConfidence = 0.8;

    private const string MetaPromptOpening = "A student model is given an instruction";
    private const string ReasoningTrigger = "Let us reason about it one step at a time.";

    private static readonly string[] UselessSentences =
    [
        "Read the case carefully.",
        "Think about the item before answering.",
        "Be precise.",
        "Look at every detail of the case.",
        DoubtNo,
        DoubtYes,
    ];

    private const string DoubtNo = "When in doubt, answer no.";
    private const string DoubtYes = "When in doubt, answer yes.";

    private static readonly string[] HiddenNoise =
    [
        "Look at the weight first.",
        "Describe the item in a few words.",
        "Think about what kind of item it is.",
    ];

    private readonly Dictionary<int, LearnableTask.Case> _cases;
    private long _calls;

    public LearnableWorldModel(IEnumerable<LearnableTask.Case> cases) => _cases = cases.ToDictionary(c => c.Id);

    public LanguageModelMetadata Metadata { get; } = new("simulated", "learnable-world", new LanguageModelCapabilities
    {
        NextTokenLogProbabilities = true,
        MaxTopLogProbabilities = 20,
        ContinuationLogProbabilities = true,
        Deterministic = true,
        DefaultMaxConcurrency = 16,
    });

    /// <summary>Requests answered (the backend's calls).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    public Task<GenerationResponse> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var prompt = request.Prompt;
        string text;
        if (prompt.StartsWith(MetaPromptOpening, StringComparison.Ordinal))
        {
            text = Propose(prompt, SeededRandom.For(request.Seed, request.SampleIndex));
        }
        else if (prompt.Contains(ReasoningTrigger, StringComparison.Ordinal))
        {
            text = Think(prompt, request.Temperature > 0 ? SeededRandom.For(request.Seed, request.SampleIndex) : null);
        }
        else
        {
            var (case_, p) = Answer(prompt);
            text = PYes(case_, p.Prompt, p.Sum) >= 0.5 ? "yes" : "no";
        }

        text = StopSequences.Cut(text, request.StopSequences);
        return Task.FromResult(new GenerationResponse(text, new LanguageModelUsage(Tokens(prompt), Math.Max(1, Tokens(text)))) { FinishReason = FinishReason.Stop });
    }

    public Task<NextTokenResponse> GetNextTokenLogProbabilitiesAsync(NextTokenRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var (c, p) = Answer(request.Context);
        var yes = PYes(c, p.Prompt, p.Sum);

        // 92% of the mass on spellings of the answers, the rest on formatting tokens, as a real model spreads it.
        TokenLogProbability[] top =
        [
            new("yes", Math.Log(0.92 * 0.7 * yes)), new(" yes", Math.Log(0.92 * 0.2 * yes)), new("Yes", Math.Log(0.92 * 0.1 * yes)),
            new("no", Math.Log(0.92 * 0.7 * (1 - yes))), new(" no", Math.Log(0.92 * 0.2 * (1 - yes))), new("No", Math.Log(0.92 * 0.1 * (1 - yes))),
            new("The", Math.Log(0.05)), new("\n", Math.Log(0.03)),
        ];
        return Task.FromResult(new NextTokenResponse(top.OrderByDescending(t => t.LogProbability).Take(request.TopK).ToArray(), new LanguageModelUsage(Tokens(request.Context), 1)));
    }

    public Task<ContinuationResponse> ScoreContinuationAsync(ContinuationRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var context = request.Context;
        if (!context.Contains(ReasoningTrigger, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The learnable world scores continuations of the hidden layer only, not of: {Shorten(context)}");
        }

        var c = FindCase(context);
        var asks = HiddenPrompt(context).Contains(LearnableTask.SumInstruction, StringComparison.Ordinal);
        var text = request.Continuation.TrimStart('\n');
        double mean = ReadSum(text) switch
        {
            null => asks ? -2.0 : -1.0,
            { } s when s == c.A + c.B => asks ? -0.3 : -1.6,
            _ => asks ? -1.4 : -1.8,
        };
        mean += 0.2 * (Unit(context + "\u0001" + text) - 0.5);
        var tokens = TokenPattern().Matches(request.Continuation).Select(m => new TokenLogProbability(m.Value, mean)).ToArray();
        return Task.FromResult(new ContinuationResponse(tokens, new LanguageModelUsage(Tokens(context) + tokens.Length, 0)));
    }

    public void Dispose()
    {
    }

    /// <summary>P(yes) of the output layer for a case, under a prompt, having read a sum (or none).</summary>
    private static double PYes(LearnableTask.Case c, string prompt, int? sum)
    {
        var kind = LearnableTask.Kinds[c.Kind];
        var rules = Sentences(prompt).Where(LearnableTask.RuleSentences.ContainsKey).Select(s => LearnableTask.RuleSentences[s]).Where(r => r.Kind == c.Kind).Distinct().ToArray();
        double yes;
        if (rules.Length != 1)
        {
            // No rule for this kind, or contradicting ones: the model's own leaning.
            yes = 0.55;
        }
        else if (kind.NeedsSum && sum is null)
        {
            // A rule about a sum it cannot compute.
            yes = 0.5;
        }
        else
        {
            var read = kind.NeedsSum ? c with { A = sum!.Value, B = 0 } : c;
            yes = LearnableTask.Applies(c.Kind, rules[0].Variant, read) ? RuleConfidence : 1 - RuleConfidence;
        }

        var sentences = Sentences(prompt).ToArray();
        var lean = (sentences.Contains(DoubtYes) ? 0.8 : 0) - (sentences.Contains(DoubtNo) ? 0.8 : 0);
        var id = c.Id.ToString(CultureInfo.InvariantCulture);
        var logit = Math.Log(yes / (1 - yes)) + lean + (2 * CaseNoise * (Unit("case\u0002" + id) - 0.5)) + (2 * PromptNoise * (Unit(prompt + "\u0002" + id) - 0.5));
        return 1 / (1 + Math.Exp(-logit));
    }

    /// <summary>Reads an output-layer context: the case, the prompt above it and the sum stated by the hidden text, if any.</summary>
    private (LearnableTask.Case Case, (string Prompt, int? Sum) Read) Answer(string context)
    {
        var at = context.LastIndexOf("\n\nCase ", StringComparison.Ordinal);
        var start = at >= 0 ? at + 2 : context.StartsWith("Case ", StringComparison.Ordinal) ? 0 : throw new InvalidOperationException($"No case in: {Shorten(context)}");
        var prompt = at >= 0 ? context[..at] : string.Empty;
        var read = context[start..];
        return (FindCase(read), (prompt, ReadSum(read)));
    }

    /// <summary>A hidden text: greedy (no random) or sampled.</summary>
    private string Think(string context, Random? random)
    {
        var c = FindCase(context);
        var asks = HiddenPrompt(context).Contains(LearnableTask.SumInstruction, StringComparison.Ordinal);
        var sum = c.A + c.B;
        if (random is null)
        {
            return asks ? SumLine(c, sum, null) : "The item looks ordinary.";
        }

        // Sampled texts are worded in many ways, as a real model's are (so samples rarely repeat exactly).
        var hint = context.Contains("Expected outcome:", StringComparison.Ordinal);
        var (right, wrong) = hint ? (0.55, 0.10) : asks ? (0.80, 0.05) : (0.25, 0.10);
        var draw = random.NextDouble();
        if (draw < right + wrong)
        {
            return SumLine(c, draw < right ? sum : sum + (random.Next(2) == 0 ? 1 : -1), random);
        }

        var cue = LearnableTask.Kinds[c.Kind].Cue;
        var remark = random.Next(4) switch
        {
            0 => "The item looks ordinary.",
            1 => $"It is a {cue} item.",
            2 => string.Create(CultureInfo.InvariantCulture, $"The weight is {c.Weight}."),
            _ => string.Create(CultureInfo.InvariantCulture, $"This {cue} item weighs {c.Weight}."),
        };
        return remark + Afterthought(random);
    }

    private static string SumLine(LearnableTask.Case c, int sum, Random? random) => random is null
        ? string.Create(CultureInfo.InvariantCulture, $"The codes add up to {sum}.")
        : random.Next(3) switch
        {
            0 => string.Create(CultureInfo.InvariantCulture, $"The codes add up to {sum}."),
            1 => string.Create(CultureInfo.InvariantCulture, $"Adding {c.A} and {c.B}, the codes add up to {sum}."),
            _ => string.Create(CultureInfo.InvariantCulture, $"The codes are {c.A} and {c.B}, so they add up to {sum}."),
        } + Afterthought(random);

    private static string Afterthought(Random random) => random.Next(4) switch
    {
        0 => string.Empty,
        1 => " Then I can decide.",
        2 => " That is what matters here.",
        _ => " Now the rule can be applied.",
    };

    /// <summary>A prompt proposal for the meta-prompt <paramref name="metaPrompt"/>.</summary>
    private string Propose(string metaPrompt, Random random)
    {
        var (instruction, examples, edit) = ParseMetaPrompt(metaPrompt);
        var forOutputLayer = examples.Count > 0 && examples.All(e => e.Correct is "yes" or "no");
        if (!forOutputLayer)
        {
            // Like a real backward model it words the same idea in many ways: a useless sentence may come with it.
            var sumsShown = examples.Any(e => e.Correct.Contains("add up to", StringComparison.Ordinal));
            var idea = sumsShown && random.NextDouble() < 0.5 ? LearnableTask.SumInstruction : HiddenNoise[random.Next(HiddenNoise.Length)];
            return random.Next(3) switch
            {
                0 => idea,
                1 => $"{UselessSentences[random.Next(UselessSentences.Length)]} {idea}",
                _ => $"{idea} {UselessSentences[random.Next(UselessSentences.Length)]}",
            };
        }

        var sentences = Sentences(instruction).ToList();
        if (edit.StartsWith("Make it shorter", StringComparison.Ordinal) && sentences.Count > 1)
        {
            sentences.RemoveAt(random.Next(sentences.Count));
            return string.Join(' ', sentences);
        }

        var rewrite = edit.StartsWith("Rewrite", StringComparison.Ordinal);
        if (rewrite)
        {
            sentences = sentences.Where(_ => random.NextDouble() < 0.8).ToList();
        }

        var wrong = examples.Where(e => !e.IsRight).ToArray();
        var pool = wrong.Length > 0 ? wrong : examples.ToArray();
        var edits = rewrite || edit.StartsWith("Add one or two", StringComparison.Ordinal) ? 2 : 1;
        for (var i = 0; i < edits && pool.Length > 0; i++)
        {
            var kind = FindCase(pool[random.Next(pool.Length)].Input).Kind;
            var draw = random.NextDouble();
            if (draw < 0.2)
            {
                sentences.Add(UselessSentences[random.Next(UselessSentences.Length)]);
                continue;
            }

            // The new rule replaces any rule the prompt had for that kind.
            sentences.RemoveAll(s => LearnableTask.RuleSentences.TryGetValue(s, out var r) && r.Kind == kind);
            sentences.Add(LearnableTask.Rule(kind, draw < 0.7 ? 0 : 1 + random.Next(2)));
        }

        var text = string.Join(' ', sentences.Distinct(StringComparer.Ordinal));
        return text.Length > 0 ? text : LearnableTask.InitialInstruction;
    }

    private static (string Instruction, List<(string Input, string Correct, bool IsRight)> Examples, string Edit) ParseMetaPrompt(string text)
    {
        string instruction = string.Empty, edit = string.Empty;
        var examples = new List<(string, string, bool)>();
        var lines = text.Split('\n');
        var right = false;
        string? input = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line == "## Instruction")
            {
                instruction = Quoted(lines, i + 1);
            }
            else if (line == "# Inputs the student got right" || line == "# Inputs the student got wrong")
            {
                right = line.EndsWith("right", StringComparison.Ordinal);
            }
            else if (line == "## Input")
            {
                input = Quoted(lines, i + 1);
            }
            else if (line == "## Correct output" && input is not null)
            {
                examples.Add((input, Quoted(lines, i + 1).Trim(), right));
                input = null;
            }
            else if (line.StartsWith("Write an improved instruction", StringComparison.Ordinal))
            {
                var at = line.IndexOf("outputs. ", StringComparison.Ordinal);
                edit = at >= 0 ? line[(at + "outputs. ".Length)..] : string.Empty;
            }
        }

        return (instruction, examples, edit);
    }

    private static string Quoted(string[] lines, int from)
    {
        var quoted = new List<string>();
        for (var i = from; i < lines.Length && lines[i].StartsWith("> ", StringComparison.Ordinal); i++)
        {
            quoted.Add(lines[i][2..]);
        }

        return string.Join('\n', quoted).Replace(MetaPrompt.EndMarker, string.Empty, StringComparison.Ordinal).Trim();
    }

    /// <summary>The sentences of a prompt, as written (each ending with its full stop).</summary>
    private static IEnumerable<string> Sentences(string prompt) =>
        SentencePattern().Matches(prompt).Select(m => m.Value.Trim()).Where(s => s.Length > 0);

    private static string HiddenPrompt(string context)
    {
        var end = context.LastIndexOf(ReasoningTrigger, StringComparison.Ordinal);
        var start = context.LastIndexOf("\n\n", end, StringComparison.Ordinal);
        return start < 0 ? string.Empty : context[(start + 2)..end].Trim();
    }

    private LearnableTask.Case FindCase(string text)
    {
        var match = CasePattern().Match(text);
        return match.Success && _cases.TryGetValue(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), out var c)
            ? c
            : throw new InvalidOperationException($"No known case in: {Shorten(text)}");
    }

    private static int? ReadSum(string text)
    {
        var match = SumPattern().Match(text);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static int Tokens(string text) => TokenPattern().Count(text);

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    /// <summary>A number in [0, 1) that is a hash of <paramref name="text"/>: the world's only noise.</summary>
    private static double Unit(string text)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return (BitConverter.ToUInt64(digest) >> 11) / (double)(1UL << 53);
    }

    [GeneratedRegex(@"Case (\d+):")]
    private static partial Regex CasePattern();

    [GeneratedRegex(@"add up to (\d+)")]
    private static partial Regex SumPattern();

    [GeneratedRegex(@"[^.]+\.?")]
    private static partial Regex SentencePattern();

    [GeneratedRegex(@"\n|[^\S\n]*\S+")]
    private static partial Regex TokenPattern();
}
