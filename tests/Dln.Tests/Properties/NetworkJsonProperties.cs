using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DeepLanguageNetworks.Tests.Properties;

/// <summary>
/// Every network shape — depth 1 to 4, any prompts (braces, placeholders, unicode, control characters), custom
/// templates, classes or free text, any valid layer and wiring options, demonstrations — round-trips through JSON.
/// </summary>
/// <remarks>
/// Texts are valid UTF-16, as every text decoded from a file or an HTTP response is. A lone surrogate cannot be
/// written as JSON: System.Text.Json replaces it by U+FFFD, so such a prompt would come back changed.
/// </remarks>
public class NetworkJsonProperties
{
    public const int Cases = 300;

    private static readonly CountingLanguageModel Model = new(modelId: "model-x");

    [Property(MaxTest = Cases)]
    public Property Every_network_round_trips_through_json() =>
        Prop.ForAll(NetworkGen.ToArbitrary(), network =>
        {
            var json = network.ToJson();

            var loaded = Dln.FromJson(json, Model, "generated.json");

            Assert.Equal(json, loaded.ToJson());
            Assert.Equal(network.Prompts, loaded.Prompts);
            Assert.Equal(network.Options, loaded.Options);
            Assert.All(Enumerable.Range(0, network.Depth), i =>
            {
                Assert.Equal(network.Layers[i].Template, loaded.Layers[i].Template);
                Assert.Equal(network.Layers[i].OutputSpace, loaded.Layers[i].OutputSpace);
                Assert.Equal(network.Layers[i].Options, loaded.Layers[i].Options);
                Assert.Equal(network.Layers[i].Demonstrations, loaded.Layers[i].Demonstrations);
            });
        });

    private static Gen<PromptTemplate> TemplateGen(string[] placeholders, PromptTemplate standard) =>
        Gen.Frequency(
            (1, Gen.Constant(standard)),
            (2, Gen.Frequency(
                    (2, Generators.ValidText.Select(t => t.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal))),
                    (1, Gen.Elements(placeholders).Select(p => "{" + p + "}")))
                .ListOf()
                .SelectMany(parts => Gen.Shuffle(parts.Concat(placeholders.Select(p => "{" + p + "}"))))
                .Select(parts => new PromptTemplate(string.Concat(parts), placeholders))));

    private static Gen<LanguageLayerOptions> OptionsGen { get; } =
        from temperature in Gen.Choose(0, 200)
        from topK in Gen.Choose(1, 100)
        from burnIn in Gen.Choose(0, 99)
        from stops in Generators.ValidText.Where(s => s.Length > 0).ListOf().Select(l => l.Take(3).ToArray())
        from collapse in Gen.Elements(true, false)
        from prefixes in Gen.Elements(true, false)
        select new LanguageLayerOptions
        {
            Temperature = temperature / 100.0,
            TopLogProbabilities = topK,
            ContinuationBurnInRatio = burnIn / 100.0,
            StopSequences = stops,
            CollapseBlankLines = collapse,
            MatchVerbalizerPrefixes = prefixes,
        };

    private static Gen<OutputSpace> ClassesGen { get; } =
        Gen.Choose(2, 4).SelectMany(n => Gen.Shuffle(Enumerable.Range(0, 12)).Select(ids => ids.Take(n).ToArray()))
            .SelectMany(ids => Gen.CollectToArray(ids, id =>
                // Spellings are made distinct between classes by the class's id; the label may differ from them.
                from label in Generators.Word
                from spellings in Generators.ValidText.Where(s => s.Trim().Length > 0).ListOf().Select(l => l.Take(3))
                select new OutputClass($"{label}{(char)('a' + id)}", new[] { $"#{id}#" }.Concat(spellings.Select(s => $"{s}#{id}#")))))
            .Select(OutputSpace.FromClasses);

    private static Gen<Example[]> DemonstrationsGen { get; } =
        Gen.Frequency(
            (3, Gen.Constant(Array.Empty<Example>())),
            (1, Gen.Zip(Generators.ValidText, Generators.ValidText, (i, t) => new Example(i, t)).ListOf().Select(l => l.Take(2).ToArray())));

    private static Gen<LanguageLayer> LayerGen(bool output) =>
        from template in output ? TemplateGen(["prompt", "input"], LayerTemplates.Output) : TemplateGen(["prompt", "input"], LayerTemplates.Hidden)
        from prompt in Generators.ValidText
        from space in output ? Gen.Frequency((2, ClassesGen), (1, Gen.Choose(1, 2000).Select(m => OutputSpace.FreeText(m)))) : Gen.Choose(1, 2000).Select(m => OutputSpace.FreeText(m))
        from options in OptionsGen
        from demonstrations in DemonstrationsGen
        select new LanguageLayer(Model, template, prompt, space, options) { Demonstrations = demonstrations };

    private static Gen<Dln> NetworkGen { get; } =
        from depth in Gen.Choose(1, 4)
        from hidden in Gen.ArrayOf(LayerGen(output: false), depth - 1)
        from output in LayerGen(output: true)
        from residual in Gen.Elements(true, false)
        from strip in Gen.Elements(true, false)
        from residualTemplate in TemplateGen(["input", "hidden"], LayerTemplates.Residual)
        select new Dln([.. hidden, output], new DlnOptions { ResidualConnections = residual, StripOptionsForHiddenLayers = strip, ResidualTemplate = residualTemplate });
}
