using System.Text.Json;
using System.Text.Json.Serialization;

namespace DeepLanguageNetworks;

/// <summary>
/// Writes and reads the JSON of a <see cref="Dln"/> (<see cref="DlnDocument"/>). A stack is written in schema 1 (its
/// layers in order, the wiring in the options), which every release reads; a graph in schema 2 (its nodes in
/// topological order, each with what it reads, its input template and its layer, and the name of the output node).
/// Both schemas load.
/// </summary>
internal static class DlnJson
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,

        // A null where the document shape has no null ("layers": null) must be a format error naming the field, not a
        // NullReferenceException later.
        RespectNullableAnnotations = true,
    };

    public static string Write(Dln network, IReadOnlyDictionary<string, string>? metadata)
    {
        var metric = network.TrainedMetric is { } trained
            ? new MetricDocument { Name = trained.Name, Settings = trained.Settings.Count > 0 ? trained.Settings.ToDictionary() : null }
            : null;
        var options = network.IsStack
            ? new NetworkOptionsDocument
            {
                ResidualConnections = network.Options.ResidualConnections,
                StripOptionsForHiddenLayers = network.Options.StripOptionsForHiddenLayers,
                ResidualTemplate = ToDocument(network.Options.ResidualTemplate),
            }
            : new NetworkOptionsDocument { StripOptionsForHiddenLayers = network.Options.StripOptionsForHiddenLayers };
        var document = network.IsStack
            ? new DlnDocument
            {
                Format = DlnDocument.FormatName,
                SchemaVersion = DlnDocument.StackSchemaVersion,
                Options = options,
                Layers = [.. network.Layers.Select(ToDocument)],
                Metadata = metadata?.ToDictionary(kv => kv.Key, kv => kv.Value),
                Metric = metric,
            }
            : new DlnDocument
            {
                Format = DlnDocument.FormatName,
                SchemaVersion = DlnDocument.CurrentSchemaVersion,
                Options = options,
                Nodes = [.. network.Nodes.Select(n => new NodeDocument
                {
                    Name = n.Name,
                    Inputs = [.. n.Inputs],
                    InputTemplate = n.InputTemplate?.Text,
                    Layer = ToDocument(n.Layer),
                })],
                Output = network.OutputNode.Name,
                Metadata = metadata?.ToDictionary(kv => kv.Key, kv => kv.Value),
                Metric = metric,
            };
        return JsonSerializer.Serialize(document, JsonOptions);
    }

    public static Dln Read(string json, Func<int, ILanguageModel> modelForLayer, string? sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(modelForLayer);
        var where = sourceName ?? "network JSON";
        DlnDocument? document;
        try
        {
            using var probe = JsonDocument.Parse(json);
            if (probe.RootElement.ValueKind == JsonValueKind.Object &&
                probe.RootElement.TryGetProperty("schemaVersion", out var version) && version.ValueKind == JsonValueKind.Number &&
                version.TryGetInt32(out var v) && v > DlnDocument.CurrentSchemaVersion)
            {
                throw new NetworkFormatException(
                    $"{where}: field \"schemaVersion\" is {v}, but this version of Dln reads schema version {DlnDocument.CurrentSchemaVersion} or older. Update the Dln package to load this network.");
            }

            document = JsonSerializer.Deserialize<DlnDocument>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } l ? $"line {l + 1}: " : string.Empty;
            var path = string.IsNullOrEmpty(ex.Path) ? string.Empty : $"at {ex.Path}: ";
            throw new NetworkFormatException($"{where}: {line}{path}{ex.Message}", ex);
        }

        if (document is null)
        {
            throw new NetworkFormatException($"{where}: the document is empty (expected a JSON object with \"format\": \"{DlnDocument.FormatName}\").");
        }

        if (document.Format != DlnDocument.FormatName)
        {
            throw new NetworkFormatException($"{where}: field \"format\" is \"{document.Format}\"; expected \"{DlnDocument.FormatName}\".");
        }

        if (document.SchemaVersion < 1)
        {
            throw new NetworkFormatException($"{where}: field \"schemaVersion\" is {document.SchemaVersion}; expected a positive version.");
        }

        DlnOptions options;
        try
        {
            options = new DlnOptions
            {
                ResidualConnections = document.Options.ResidualConnections ?? true,
                StripOptionsForHiddenLayers = document.Options.StripOptionsForHiddenLayers,
                ResidualTemplate = document.Options.ResidualTemplate is { } t ? FromDocument(t) : LayerTemplates.Residual,
            };
        }
        catch (ArgumentException ex)
        {
            throw new NetworkFormatException($"{where}: options.residualTemplate: {ex.Message}", ex);
        }

        MetricIdentity? trainedMetric;
        try
        {
            trainedMetric = document.Metric is { } m ? new MetricIdentity(m.Name, m.Settings) : null;
        }
        catch (ArgumentException ex)
        {
            throw new NetworkFormatException($"{where}: field \"metric.name\" is missing or empty; expected the name of the metric the network was trained for.", ex);
        }

        var network = document.SchemaVersion == DlnDocument.StackSchemaVersion
            ? ReadStack(document, options, modelForLayer, where)
            : ReadGraph(document, options, modelForLayer, where);
        network.TrainedMetric = trainedMetric;
        return network;
    }

    private static Dln ReadStack(DlnDocument document, DlnOptions options, Func<int, ILanguageModel> modelForLayer, string where)
    {
        if (document.Layers is null)
        {
            throw new NetworkFormatException($"{where}: field \"layers\" is missing or null; a schema version 1 network lists its layers.");
        }

        if (document.Layers.Count == 0)
        {
            throw new NetworkFormatException($"{where}: field \"layers\" is empty; a network needs at least one layer.");
        }

        var layers = new List<LanguageLayer>(document.Layers.Count);
        for (var i = 0; i < document.Layers.Count; i++)
        {
            // The serializer does not check the nullability of list elements.
            var layer = document.Layers[i] ?? throw new NetworkFormatException($"{where}: layers[{i}] is null; expected a layer object.");
            var model = modelForLayer(i) ?? throw new InvalidOperationException($"The model factory returned null for layer {i}; it must return a language model.");
            try
            {
                layers.Add(FromDocument(layer, model));
            }
            catch (ArgumentException ex)
            {
                throw new NetworkFormatException($"{where}: layers[{i}]: {ex.Message}", ex);
            }
        }

        try
        {
            return new Dln(layers, options);
        }
        catch (ArgumentException ex)
        {
            throw new NetworkFormatException($"{where}: {ex.Message}", ex);
        }
    }

    private static Dln ReadGraph(DlnDocument document, DlnOptions options, Func<int, ILanguageModel> modelForLayer, string where)
    {
        if (document.Nodes is null)
        {
            throw new NetworkFormatException($"{where}: field \"nodes\" is missing or null; a schema version {document.SchemaVersion} network lists its nodes.");
        }

        if (document.Nodes.Count == 0)
        {
            throw new NetworkFormatException($"{where}: field \"nodes\" is empty; a network needs at least one node.");
        }

        if (document.Output is null)
        {
            throw new NetworkFormatException($"{where}: field \"output\" is missing or null; expected the name of the node that answers.");
        }

        // What each node reads is checked first and the graph ordered from the names alone, so that a layer's model is
        // asked for by the layer's position in the network.
        var declared = new (IReadOnlyList<string> Inputs, PromptTemplate? Template)[document.Nodes.Count];
        for (var i = 0; i < declared.Length; i++)
        {
            var node = document.Nodes[i] ?? throw new NetworkFormatException($"{where}: nodes[{i}] is null; expected a node object.");
            if (node.Inputs.Any(input => input is null))
            {
                throw new NetworkFormatException($"{where}: nodes[{i}] (\"{node.Name}\"): field \"inputs\" holds null; expected names.");
            }

            try
            {
                declared[i] = NetworkGraph.Declare(node.Name, node.Inputs, node.InputTemplate);
            }
            catch (ArgumentException ex)
            {
                throw new NetworkFormatException($"{where}: nodes[{i}]: {ex.Message}", ex);
            }
        }

        GraphOrder order;
        try
        {
            order = NetworkGraph.Order([.. document.Nodes.Select(n => n!.Name)], [.. declared.Select(d => d.Inputs)], document.Output);
        }
        catch (ArgumentException ex)
        {
            throw new NetworkFormatException($"{where}: {ex.Message}", ex);
        }

        var specs = new NodeSpec[declared.Length];
        for (var p = 0; p < specs.Length; p++)
        {
            var i = order.Declared[p];
            var node = document.Nodes[i]!;
            var model = modelForLayer(p) ?? throw new InvalidOperationException($"The model factory returned null for layer {p} (node \"{node.Name}\"); it must return a language model.");
            try
            {
                var layer = node.Layer ?? throw new ArgumentException("field \"layer\" is null; expected a layer object.");
                specs[p] = new NodeSpec(node.Name, FromDocument(layer, model), declared[i].Inputs, declared[i].Template);
            }
            catch (ArgumentException ex)
            {
                throw new NetworkFormatException($"{where}: nodes[{i}] (\"{node.Name}\"): {ex.Message}", ex);
            }
        }

        try
        {
            return Dln.FromGraph(NetworkGraph.Build(specs, document.Output), options);
        }
        catch (ArgumentException ex)
        {
            throw new NetworkFormatException($"{where}: {ex.Message}", ex);
        }
    }

    private static LayerDocument ToDocument(LanguageLayer l) => new()
    {
        Template = ToDocument(l.Template),
        Prompt = l.Prompt,
        OutputSpace = new OutputSpaceDocument
        {
            Kind = l.OutputSpace.IsClassification ? "classes" : "freeText",
            MaxTokens = l.OutputSpace.IsClassification ? null : l.OutputSpace.MaxTokens,
            Classes = l.OutputSpace.IsClassification
                ? l.OutputSpace.Classes.Select(c => new ClassDocument { Label = c.Label, Verbalizers = [.. c.Verbalizers] }).ToList()
                : null,
        },
        Options = new LayerOptionsDocument
        {
            Temperature = l.Options.Temperature,
            TopLogProbabilities = l.Options.TopLogProbabilities,
            ContinuationBurnInRatio = l.Options.ContinuationBurnInRatio,
            StopSequences = l.Options.StopSequences.Count > 0 ? [.. l.Options.StopSequences] : null,
            CollapseBlankLines = l.Options.CollapseBlankLines,
            MatchVerbalizerPrefixes = l.Options.MatchVerbalizerPrefixes,
            ClassScoring = JsonNamingPolicy.CamelCase.ConvertName(l.Options.ClassScoring.ToString()),
        },
        Demonstrations = l.Demonstrations.Count > 0 ? l.Demonstrations.Select(d => new ExampleDocument { Input = d.Input, Target = d.Target }).ToList() : null,
        Model = l.Model.Metadata.ModelId,
    };

    private static TemplateDocument ToDocument(PromptTemplate template) => new()
    {
        Text = template.Text,
        Required = [.. template.RequiredPlaceholders],
        Optional = template.OptionalPlaceholders.Count > 0 ? [.. template.OptionalPlaceholders] : null,
    };

    private static PromptTemplate FromDocument(TemplateDocument document) =>
        new(document.Text, document.Required ?? [], document.Optional);

    private static ClassScoring ParseClassScoring(string? value)
    {
        if (value is null)
        {
            return ClassScoring.Auto;
        }

        // By name only: Enum.TryParse would also accept numbers.
        foreach (var known in Enum.GetValues<ClassScoring>())
        {
            if (string.Equals(known.ToString(), value, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        throw new ArgumentException($"field \"options.classScoring\" is \"{value}\"; expected \"auto\", \"nextToken\" or \"continuation\".");
    }

    private static LanguageLayer FromDocument(LayerDocument document, ILanguageModel model)
    {
        OutputSpace outputSpace = document.OutputSpace.Kind switch
        {
            "classes" => OutputSpace.FromClasses((document.OutputSpace.Classes ?? []).Select(c => new OutputClass(c.Label, c.Verbalizers))),
            "freeText" => OutputSpace.FreeText(document.OutputSpace.MaxTokens ?? 256),
            var other => throw new ArgumentException($"field \"outputSpace.kind\" is \"{other}\"; expected \"classes\" or \"freeText\"."),
        };
        var o = document.Options ?? new LayerOptionsDocument();
        var options = new LanguageLayerOptions
        {
            Temperature = o.Temperature,
            TopLogProbabilities = o.TopLogProbabilities,
            ContinuationBurnInRatio = o.ContinuationBurnInRatio,
            StopSequences = o.StopSequences ?? [],
            CollapseBlankLines = o.CollapseBlankLines,
            MatchVerbalizerPrefixes = o.MatchVerbalizerPrefixes,
            ClassScoring = ParseClassScoring(o.ClassScoring),
        };
        return new LanguageLayer(model, FromDocument(document.Template), document.Prompt, outputSpace, options)
        {
            Demonstrations = document.Demonstrations?.Select(d => new Example(d.Input, d.Target)).ToArray() ?? [],
        };
    }
}
