using DeepLanguageNetworks.Tests.Data;

namespace DeepLanguageNetworks.Paper.Tests;

public class LoaderTests
{
    [Fact]
    public void Bbh_loader_reads_navigate_as_published()
    {
        var examples = BbhLoader.Load(TestData.Bbh("navigate"), PaperTasks.Navigate);

        Assert.Equal(250, examples.Count);
        Assert.All(examples, e => Assert.Contains(e.Target, new[] { "Yes", "No" }));
        Assert.StartsWith("If you follow these instructions, do you return to the starting point?", examples[0].Input);
        Assert.EndsWith("\nOptions:\n- Yes\n- No", examples[0].Input);
        Assert.Equal("No", examples[0].Target);
        Assert.Equal("bbh/navigate.json[0]", examples[0].Source);
        Assert.Equal("bbh/navigate.json[249]", examples[249].Source);
    }

    [Theory]
    [InlineData("hyperbaton", 2)]
    [InlineData("date_understanding", 6)]
    [InlineData("logical_deduction_seven_objects", 7)]
    public void Bbh_loader_targets_are_letters_of_the_task(string taskId, int letters)
    {
        var task = PaperTasks.Get(taskId);
        var examples = BbhLoader.Load(TestData.Bbh(taskId), task);

        Assert.Equal(250, examples.Count);
        var normalized = examples.Select(e => AnswerNormalizer.Normalize(e.Target)).Distinct().Order().ToArray();
        Assert.Equal(Enumerable.Range(0, letters).Select(i => ((char)('a' + i)).ToString()), normalized);
        Assert.All(examples, e => Assert.Matches(@"^\([A-G]\)$", e.Target));
    }

    [Fact]
    public void Ordered_prompt_loader_formats_sentence_with_options_and_maps_labels()
    {
        var task = PaperTasks.Trec;
        var examples = OrderedPromptLoader.Load(TestData.OrderedPrompt("trec", "train"), task);

        Assert.Equal(5452, examples.Count);
        Assert.Equal(
            "How did serfdom develop in and then leave Russia ?\nOptions:\n- description\n- entity\n- expression\n- human\n- location\n- number",
            examples[0].Input);
        Assert.Equal("description", examples[0].Target);
        Assert.Equal("entity", examples[1].Target);
        Assert.Equal("trec/train.jsonl:1", examples[0].Source);
        Assert.Equal(6, examples.Select(e => e.Target).Distinct().Count());
    }

    [Theory]
    [InlineData("mpqa", 8603, 256, 2000)]
    [InlineData("subj", 8000, 256, 2000)]
    [InlineData("trec", 5452, 256, 500)]
    public void Ordered_prompt_files_have_the_documented_sizes(string taskId, int train, int dev, int test)
    {
        var task = PaperTasks.Get(taskId);
        Assert.Equal(train, OrderedPromptLoader.Load(TestData.OrderedPrompt(taskId, "train"), task).Count);
        Assert.Equal(dev, OrderedPromptLoader.Load(TestData.OrderedPrompt(taskId, "dev_subsample"), task).Count);
        Assert.Equal(test, OrderedPromptLoader.Load(TestData.OrderedPrompt(taskId, "test"), task).Count);
    }

    [Fact]
    public void Leopard_loader_prepends_question_and_maps_disaster_labels()
    {
        var task = PaperTasks.Disaster;
        var examples = LeopardLoader.Load(TestData.Leopard("disaster"), task);

        Assert.Equal(5430, examples.Count);
        Assert.Equal(["no", "yes"], examples.Select(e => e.Target).Distinct().Order());
        var first = examples[0];
        Assert.StartsWith(task.TaskQuestion + " *Jumps off of a cliff while drinking tea*", first.Input);
        Assert.EndsWith("fall off cliffs.\nOptions:\n- no\n- yes", first.Input);
        Assert.Equal("no", first.Target);
        Assert.Equal("yes", examples[1].Target);
        Assert.Equal("disaster/disaster_eval.json[1]", examples[1].Source);
    }

    [Fact]
    public void Leopard_loader_keeps_mojibake_as_published()
    {
        var examples = LeopardLoader.Load(TestData.Leopard("airline"), PaperTasks.Airline);

        Assert.Equal(7320, examples.Count);
        Assert.Contains("please reply to my DM \u0089\u00aa\u00b4\u0095\u00fc\u008f", examples[0].Input);
        Assert.Equal("neutral", examples[0].Target);
        Assert.EndsWith("\nOptions:\n- positive\n- negative\n- neutral", examples[0].Input);
    }

    [Fact]
    public void Jsonl_with_broken_json_names_file_and_line()
    {
        using var folder = new TempFolder();
        var path = folder.Write("train.jsonl",
            "{\"sentence\": \"fine\", \"label\": \"0\"}\n" +
            "{\"sentence\": \"also fine\", \"label\": \"1\"}\n" +
            "\n" +
            "{\"sentence\": \"broken\", \"label\": \"1\"\n");

        var error = Assert.Throws<DatasetFormatException>(() => OrderedPromptLoader.Load(path, PaperTasks.Mpqa));

        Assert.Equal(4, error.LineNumber);
        Assert.Equal(path, error.FilePath);
        Assert.Contains("train.jsonl: line 4: invalid JSON", error.Message);
        Assert.DoesNotContain("LineNumber: 0", error.Message);
    }

    [Fact]
    public void Jsonl_with_two_values_on_a_line_is_rejected()
    {
        using var folder = new TempFolder();
        var path = folder.Write("test.jsonl", "{\"sentence\": \"a\", \"label\": \"0\"} {\"sentence\": \"b\", \"label\": \"1\"}\n");

        var error = Assert.Throws<DatasetFormatException>(() => OrderedPromptLoader.Load(path, PaperTasks.Mpqa));

        Assert.Equal(1, error.LineNumber);
        Assert.Contains("invalid JSON", error.Message);
    }

    [Fact]
    public void Jsonl_with_unknown_label_names_label_task_and_known_labels()
    {
        using var folder = new TempFolder();
        var path = folder.Write("train.jsonl",
            "{\"sentence\": \"What is a cat ?\", \"label\": \"0\"}\n" +
            "{\"sentence\": \"Who is he ?\", \"label\": \"7\"}\n");

        var error = Assert.Throws<DatasetFormatException>(() => OrderedPromptLoader.Load(path, PaperTasks.Trec));

        Assert.Equal(2, error.LineNumber);
        Assert.Equal("label", error.Field);
        Assert.Contains("line 2", error.Message);
        Assert.Contains("\"7\"", error.Message);
        Assert.Contains("trec", error.Message);
        Assert.Contains("known: \"0\", \"1\", \"2\", \"3\", \"4\", \"5\"", error.Message);
    }

    [Fact]
    public void Jsonl_with_missing_or_empty_or_non_string_fields_names_the_field()
    {
        using var folder = new TempFolder();
        var missing = folder.Write("missing.jsonl", "{\"label\": \"0\"}\n");
        var empty = folder.Write("empty.jsonl", "{\"sentence\": \"ok\", \"label\": \"0\"}\n{\"sentence\": \"   \", \"label\": \"0\"}\n");
        var number = folder.Write("number.jsonl", "{\"sentence\": \"ok\", \"label\": 0}\n");
        var array = folder.Write("array.jsonl", "[\"ok\", \"0\"]\n");

        var missingError = Assert.Throws<DatasetFormatException>(() => OrderedPromptLoader.Load(missing, PaperTasks.Mpqa));
        Assert.Contains("missing.jsonl: line 1: field \"sentence\" is missing", missingError.Message);

        var emptyError = Assert.Throws<DatasetFormatException>(() => OrderedPromptLoader.Load(empty, PaperTasks.Mpqa));
        Assert.Contains("empty.jsonl: line 2: field \"sentence\" is empty", emptyError.Message);

        var numberError = Assert.Throws<DatasetFormatException>(() => OrderedPromptLoader.Load(number, PaperTasks.Mpqa));
        Assert.Contains("field \"label\" is a number (expected a string)", numberError.Message);

        var arrayError = Assert.Throws<DatasetFormatException>(() => OrderedPromptLoader.Load(array, PaperTasks.Mpqa));
        Assert.Contains("expected a JSON object, found an array", arrayError.Message);
    }

    [Fact]
    public void Bbh_element_without_target_names_file_line_element_and_field()
    {
        using var folder = new TempFolder();
        var path = folder.Write("navigate.json",
            "{\"canary\": \"c\",\n \"examples\": [\n  {\"input\": \"Go.\\nOptions:\\n- Yes\\n- No\", \"target\": \"Yes\"},\n  {\"input\": \"Stay.\\nOptions:\\n- Yes\\n- No\"}\n]}");

        var error = Assert.Throws<DatasetFormatException>(() => BbhLoader.Load(path));

        Assert.Equal(4, error.LineNumber);
        Assert.Equal(1, error.ElementIndex);
        Assert.Equal("target", error.Field);
        Assert.Contains("navigate.json: line 4, element 1: field \"target\" is missing (expected a string)", error.Message);
    }

    [Fact]
    public void Bbh_errors_for_broken_json_missing_examples_and_unknown_target()
    {
        using var folder = new TempFolder();
        var broken = folder.Write("broken.json", "{\"examples\": [\n{\"input\": \"x\", \"target\": \"(A)\"},\n{\"input\": \"y\" \"target\": \"(B)\"}]}");
        var noExamples = folder.Write("none.json", "{\"canary\": \"c\"}");
        var badTarget = folder.Write("hyperbaton.json", "{\"examples\": [{\"input\": \"x\\nOptions:\\n(A) a\\n(B) b\", \"target\": \"(C)\"}]}");
        var emptyInput = folder.Write("empty.json", "{\"examples\": [{\"input\": \"\", \"target\": \"(A)\"}]}");

        var brokenError = Assert.Throws<DatasetFormatException>(() => BbhLoader.Load(broken));
        Assert.Equal(3, brokenError.LineNumber);
        Assert.Contains("broken.json: line 3", brokenError.Message);
        Assert.Contains("invalid JSON", brokenError.Message);

        var noExamplesError = Assert.Throws<DatasetFormatException>(() => BbhLoader.Load(noExamples));
        Assert.Contains("field \"examples\" is missing", noExamplesError.Message);

        var targetError = Assert.Throws<DatasetFormatException>(() => BbhLoader.Load(badTarget, PaperTasks.Hyperbaton));
        Assert.Contains("element 0: field \"target\" has value \"(C)\"", targetError.Message);
        Assert.Contains("known: a, b", targetError.Message);

        var emptyError = Assert.Throws<DatasetFormatException>(() => BbhLoader.Load(emptyInput));
        Assert.Contains("field \"input\" is empty", emptyError.Message);
    }

    [Fact]
    public void Leopard_errors_name_the_element_index()
    {
        using var folder = new TempFolder();
        var unknownLabel = folder.Write("disaster_eval.json",
            "[{\"sentence1\": \"fire!\", \"label\": \"Relevant\", \"processed_sent\": \"x\"}, {\"sentence1\": \"sun\", \"label\": \"Maybe\", \"processed_sent\": \"x\"}]");
        var notArray = folder.Write("object.json", "{\"sentence1\": \"fire!\", \"label\": \"Relevant\"}");
        var truncated = folder.Write("truncated.json", "[{\"sentence1\": \"fire!\", \"label\": \"Relevant\"}, {\"sentence1\": \"x\"");

        var labelError = Assert.Throws<DatasetFormatException>(() => LeopardLoader.Load(unknownLabel, PaperTasks.Disaster));
        Assert.Equal(1, labelError.ElementIndex);
        Assert.Contains("disaster_eval.json: line 1, element 1: field \"label\" has unknown label \"Maybe\" for task disaster (known: \"Not Relevant\", \"Relevant\")", labelError.Message);

        var arrayError = Assert.Throws<DatasetFormatException>(() => LeopardLoader.Load(notArray, PaperTasks.Disaster));
        Assert.Contains("expected an array of objects", arrayError.Message);

        var truncatedError = Assert.Throws<DatasetFormatException>(() => LeopardLoader.Load(truncated, PaperTasks.Disaster));
        Assert.Contains("invalid JSON", truncatedError.Message);
        Assert.IsType<System.Text.Json.JsonException>(truncatedError.InnerException, exactMatch: false);
    }

    [Fact]
    public void Loaders_need_a_label_mapping_and_an_existing_file()
    {
        Assert.Throws<ArgumentException>(() => OrderedPromptLoader.Load(TestData.OrderedPrompt("trec", "test"), PaperTasks.Navigate));
        Assert.Throws<FileNotFoundException>(() => BbhLoader.Load(Path.Combine(TestData.DatasetsRoot, "bbh", "no_such_task.json")));
    }
}
