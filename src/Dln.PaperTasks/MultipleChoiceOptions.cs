using System.Text.RegularExpressions;

namespace DeepLanguageNetworks.Paper;

/// <summary>
/// Shuffles the lettered options of a multiple-choice input. BIG-bench-derived train and dev items list the gold
/// answer at a fixed position; left as is, a learned prompt picks up "the answer is (A)" (the paper-era quirk). The
/// reference code shuffles train/dev options of every BBH task except navigate; test sets stay as published.
/// </summary>
internal static partial class MultipleChoiceOptions
{
    /// <summary>
    /// Permutes the <c>(A) text</c> lines that follow the <c>Options:</c> line, re-letters them (A), (B), … in their
    /// new order and rewrites the target's letter so that it still designates the same option text. Everything
    /// outside the option lines, and <see cref="Example.Source"/>, is kept.
    /// </summary>
    /// <param name="example">An example whose input has an <c>Options:</c> line followed by lettered options starting at (A), and whose target names one of them, for example <c>(C)</c>.</param>
    /// <param name="random">The generator that draws the permutation; seed it for reproducible splits.</param>
    /// <returns>A new example with shuffled options and remapped target (possibly in the same order, as any permutation is possible).</returns>
    /// <exception cref="ArgumentException">The input has no lettered options block, or the target names no listed option.</exception>
    public static Example Shuffle(Example example, Random random)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(random);

        var where = example.Source is null ? "example" : $"example {example.Source}";
        var lines = example.Input.Split('\n');
        var header = Array.FindIndex(lines, line => line.Trim() == OptionsBlock.Header);
        if (header < 0)
        {
            throw new ArgumentException($"Cannot shuffle options of {where}: its input has no \"{OptionsBlock.Header}\" line.", nameof(example));
        }

        // Option lines are the consecutive "(A) …", "(B) …" lines right after the header.
        var remainders = new List<string>();
        for (var i = header + 1; i < lines.Length; i++)
        {
            var match = OptionLine().Match(lines[i]);
            if (!match.Success || match.Groups["letter"].Value[0] != (char)('A' + remainders.Count))
            {
                break;
            }

            remainders.Add(match.Groups["rest"].Value);
        }

        if (remainders.Count < 2)
        {
            throw new ArgumentException(
                $"Cannot shuffle options of {where}: expected at least two lines \"(A) …\", \"(B) …\" after \"{OptionsBlock.Header}\", found {remainders.Count}.",
                nameof(example));
        }

        var goldIndex = FindTargetLetter(example.Target, remainders.Count, out var letterPosition);
        if (goldIndex < 0)
        {
            throw new ArgumentException(
                $"Cannot shuffle options of {where}: target \"{example.Target}\" names none of the options (A)…({(char)('A' + remainders.Count - 1)}).",
                nameof(example));
        }

        var order = Enumerable.Range(0, remainders.Count).ToArray();
        RandomSampling.Shuffle(order, random);

        var newGoldIndex = -1;
        for (var position = 0; position < order.Length; position++)
        {
            lines[header + 1 + position] = $"({(char)('A' + position)}){remainders[order[position]]}";
            if (order[position] == goldIndex)
            {
                newGoldIndex = position;
            }
        }

        var oldLetter = example.Target[letterPosition];
        var newLetter = (char)((char.IsUpper(oldLetter) ? 'A' : 'a') + newGoldIndex);
        var target = string.Concat(example.Target.AsSpan(0, letterPosition), [newLetter], example.Target.AsSpan(letterPosition + 1));
        return example with { Input = string.Join('\n', lines), Target = target };
    }

    /// <summary>Finds the standalone letter of the target that names an option; returns its option index or -1.</summary>
    private static int FindTargetLetter(string target, int optionCount, out int letterPosition)
    {
        var normalized = AnswerNormalizer.Normalize(target);
        letterPosition = -1;
        if (normalized.Length != 1)
        {
            return -1;
        }

        var index = normalized[0] - 'a';
        if (index < 0 || index >= optionCount)
        {
            return -1;
        }

        foreach (Match match in StandaloneLetter().Matches(target))
        {
            if (char.ToLowerInvariant(match.Value[0]) == normalized[0])
            {
                letterPosition = match.Index;
                return index;
            }
        }

        return -1;
    }

    [GeneratedRegex(@"^\((?<letter>[A-Z])\)(?<rest>.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex OptionLine();

    [GeneratedRegex(@"(?<![A-Za-z])[A-Za-z](?![A-Za-z])", RegexOptions.CultureInvariant)]
    private static partial Regex StandaloneLetter();
}
