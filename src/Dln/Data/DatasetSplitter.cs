using System.Globalization;

namespace DeepLanguageNetworks;

/// <summary>Seeded train/dev/test splits of one set of examples, stratified by class when the output has classes.</summary>
internal static class DatasetSplitter
{
    public static (Example[] Train, Example[] Dev, Example[] Test, string Description) Split(
        IReadOnlyList<Example> examples, OutputSpace outputSpace, DatasetSplitOptions options)
    {
        var total = examples.Count;
        var devCount = Math.Max(1, (int)Math.Round(total * options.DevFraction, MidpointRounding.AwayFromZero));
        var testCount = options.TestFraction == 0 ? 0 : Math.Max(1, (int)Math.Round(total * options.TestFraction, MidpointRounding.AwayFromZero));
        if (devCount + testCount >= total)
        {
            throw new ArgumentException(
                $"{total} examples are too few to split {devCount} dev and {testCount} test examples off and keep some to train on.", nameof(examples));
        }

        var stratified = options.Stratify && outputSpace.IsClassification;
        var groups = stratified
            ? ExampleClasses.GroupIndicesByClass(examples, outputSpace.Classes, "the output space", nameof(examples)).Where(g => g.Count > 0).ToArray()
            : [Enumerable.Range(0, total).ToList()];

        // One generator consumed in a fixed order: the split depends on the seed and the examples alone.
        var random = new Random(options.Seed);
        foreach (var group in groups)
        {
            RandomSampling.Shuffle(group, random);
        }

        var devShares = Apportion(groups, devCount, total);
        var testShares = Apportion(groups, testCount, total);
        var train = new List<Example>();
        var dev = new List<Example>();
        var test = new List<Example>();
        for (var g = 0; g < groups.Length; g++)
        {
            var group = groups[g];
            var testTaken = Math.Min(testShares[g], group.Count);
            var devTaken = Math.Min(devShares[g], group.Count - testTaken);
            test.AddRange(group.Take(testTaken).Select(i => examples[i]));
            dev.AddRange(group.Skip(testTaken).Take(devTaken).Select(i => examples[i]));
            train.AddRange(group.Skip(testTaken + devTaken).Select(i => examples[i]));
        }

        // Classes interleave in every split rather than follow each other in blocks.
        RandomSampling.Shuffle(train, random);
        RandomSampling.Shuffle(dev, random);
        RandomSampling.Shuffle(test, random);

        var how = stratified ? $", stratified by class ({string.Join(", ", outputSpace.Classes.Select(c => c.Label))})" : string.Empty;
        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"{total} examples split {train.Count} train / {dev.Count} dev / {test.Count} test with seed {options.Seed}{how}.");
        return ([.. train], [.. dev], [.. test], description);
    }

    // Largest-remainder apportionment: the shares sum to count exactly and each is proportional to its group's size.
    private static int[] Apportion(IReadOnlyList<List<int>> groups, int count, int total)
    {
        var shares = new int[groups.Count];
        var remainders = new (double Remainder, int Group)[groups.Count];
        var given = 0;
        for (var g = 0; g < groups.Count; g++)
        {
            var exact = (double)count * groups[g].Count / total;
            shares[g] = (int)Math.Floor(exact);
            given += shares[g];
            remainders[g] = (exact - shares[g], g);
        }

        foreach (var (_, g) in remainders.OrderByDescending(r => r.Remainder).ThenBy(r => r.Group).Take(count - given))
        {
            shares[g]++;
        }

        return shares;
    }
}
