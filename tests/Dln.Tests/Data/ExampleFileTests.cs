using System.Text;

namespace DeepLanguageNetworks.Tests.Data;

public class ExampleFileTests
{
    private static readonly ExampleFields TextAndTeam = new("text", "team");

    [Fact]
    public void Jsonl_maps_the_named_fields_and_records_file_and_line()
    {
        using var folder = new TempFolder();
        var path = folder.Write("tickets.jsonl",
            "{\"id\": \"1\", \"text\": \"I was charged twice\", \"team\": \"billing\"}\n" +
            "\n" +
            "{\"text\": \"The app crashes on start\", \"team\": \"bug\", \"extra\": 3}\r\n");

        var examples = ExampleFile.Read(path, TextAndTeam);

        Assert.Equal([("I was charged twice", "billing"), ("The app crashes on start", "bug")], examples.Select(e => (e.Input, e.Target)));
        Assert.Equal(Path.GetFileName(folder.Path) + "/tickets.jsonl:1", examples[0].Source);
        Assert.EndsWith("tickets.jsonl:3", examples[1].Source);
    }

    [Fact]
    public void A_template_renders_several_fields_literally_once()
    {
        using var folder = new TempFolder();
        var path = folder.Write("mail.jsonl",
            "{\"subject\": \"Refund {body}\", \"body\": \"Please {{subject}} refund me\", \"team\": \"billing\"}\n");

        var fields = ExampleFields.FromTemplate("Subject: {subject}\nBody: {body}", target: "team");
        var example = Assert.Single(ExampleFile.Read(path, fields));

        Assert.Equal(["subject", "body"], fields.InputFields);
        Assert.Equal("Subject: Refund {body}\nBody: Please {{subject}} refund me", example.Input);
    }

    [Fact]
    public void Templates_must_name_a_field_and_be_well_formed()
    {
        Assert.Throws<ArgumentException>(() => ExampleFields.FromTemplate("no fields here", "team"));
        Assert.Throws<ArgumentException>(() => ExampleFields.FromTemplate("broken {subject", "team"));
        Assert.Throws<ArgumentException>(() => new ExampleFields(" ", "team"));
    }

    [Fact]
    public void Target_labels_map_raw_values_and_an_unknown_one_names_line_and_field()
    {
        using var folder = new TempFolder();
        var path = folder.Write("reviews.jsonl",
            "{\"text\": \"great\", \"label\": \"1\"}\n{\"text\": \"awful\", \"label\": \"0\"}\n{\"text\": \"meh\", \"label\": \"2\"}\n");
        var fields = new ExampleFields("text", "label") { TargetLabels = new Dictionary<string, string> { ["0"] = "negative", ["1"] = "positive" } };

        var error = Assert.Throws<DatasetFormatException>(() => ExampleFile.Read(path, fields));

        Assert.Equal((3L, "label"), (error.LineNumber!.Value, error.Field));
        Assert.Contains("reviews.jsonl: line 3: field \"label\" has unknown label \"2\" (known: \"0\", \"1\")", error.Message);
        var mapped = ExampleFile.Read(folder.Write("ok.jsonl", "{\"text\": \"great\", \"label\": \"1\"}\n"), fields);
        Assert.Equal("positive", Assert.Single(mapped).Target);
    }

    [Fact]
    public void A_target_outside_the_classes_names_line_and_field()
    {
        using var folder = new TempFolder();
        var path = folder.Write("t.jsonl", "{\"text\": \"a\", \"team\": \"billing\"}\n{\"text\": \"b\", \"team\": \"sales\"}\n");

        var error = Assert.Throws<DatasetFormatException>(() => ExampleFile.Read(path, TextAndTeam, OutputSpace.FromClasses("billing", "bug")));

        Assert.Equal((2L, "team"), (error.LineNumber!.Value, error.Field));
        Assert.Contains("has value \"sales\", which names none of the classes (known: billing, bug)", error.Message);
    }

    [Fact]
    public void Missing_empty_and_non_string_fields_are_named()
    {
        using var folder = new TempFolder();
        var missing = Assert.Throws<DatasetFormatException>(() => ExampleFile.Read(folder.Write("a.jsonl", "{\"team\": \"bug\"}\n"), TextAndTeam));
        Assert.Contains("a.jsonl: line 1: field \"text\" is missing (expected a string)", missing.Message);

        var empty = Assert.Throws<DatasetFormatException>(() => ExampleFile.Read(folder.Write("b.jsonl", "{\"text\": \"x\", \"team\": \"\"}\n"), TextAndTeam));
        Assert.Contains("line 1: field \"team\" is empty", empty.Message);

        var number = Assert.Throws<DatasetFormatException>(() => ExampleFile.Read(folder.Write("c.jsonl", "{\"text\": \"x\", \"team\": 4}\n"), TextAndTeam));
        Assert.Contains("field \"team\" is a number (expected a string)", number.Message);

        var templated = ExampleFields.FromTemplate("{subject}\n{body}", "team");
        var blank = Assert.Throws<DatasetFormatException>(() => ExampleFile.Read(folder.Write("d.jsonl", "{\"subject\": \"\", \"body\": \" \", \"team\": \"bug\"}\n"), templated));
        Assert.Contains("renders an empty input", blank.Message);

        var nothing = Assert.Throws<DatasetFormatException>(() => ExampleFile.Read(folder.Write("e.jsonl", "\n\n"), TextAndTeam));
        Assert.Contains("has no examples", nothing.Message);
    }

    [Fact]
    public void Json_arrays_name_the_element_and_its_line()
    {
        using var folder = new TempFolder();
        var path = folder.Write("data.json", "{\"version\": 2, \"rows\": [\n {\"text\": \"a\", \"team\": \"bug\"},\n {\"text\": \"b\"}\n]}");

        var error = Assert.Throws<DatasetFormatException>(() => ExampleFile.ReadJson(path, TextAndTeam, arrayProperty: "rows"));

        Assert.Equal((3L, 1, "team"), (error.LineNumber!.Value, error.ElementIndex!.Value, error.Field));
        Assert.Contains("data.json: line 3, element 1: field \"team\" is missing", error.Message);
        var top = ExampleFile.Read(folder.Write("top.json", "[{\"text\": \"a\", \"team\": \"bug\"}]"), TextAndTeam);
        Assert.EndsWith("top.json[0]", Assert.Single(top).Source);
    }

    [Fact]
    public void Csv_reads_quoted_fields_with_separators_quotes_and_line_breaks()
    {
        using var folder = new TempFolder();
        var path = folder.Write("tickets.csv",
            "id,Text,team\n" +
            "1,\"Charged twice, \"\"urgent\"\"\nsecond line\",billing\n" +
            "2,plain text,bug\n");

        var examples = ExampleFile.Read(path, TextAndTeam);

        Assert.Equal([("Charged twice, \"urgent\"\nsecond line", "billing"), ("plain text", "bug")], examples.Select(e => (e.Input, e.Target)));
        Assert.EndsWith("tickets.csv:2", examples[0].Source);
        Assert.EndsWith("tickets.csv:4", examples[1].Source);
        var tsv = ExampleFile.Read(folder.Write("t.tsv", "text\tteam\nhello, world\tbug\n"), TextAndTeam);
        Assert.Equal("hello, world", Assert.Single(tsv).Input);
    }

    [Fact]
    public void Csv_quoting_errors_name_the_line()
    {
        using var folder = new TempFolder();
        var stray = folder.Write("stray.csv", "text,team\nfine,bug\n\"closed\"but more,bug\n");
        var unterminated = folder.Write("open.csv", "text,team\nfine,bug\n\"never closed,bug\nx,y\n");

        var strayError = Assert.Throws<DatasetFormatException>(() => ExampleFile.Read(stray, TextAndTeam));
        Assert.Equal(3, strayError.LineNumber);
        Assert.Contains("stray.csv: line 3: malformed CSV", strayError.Message);
        Assert.Contains("double quotes", strayError.Message);

        var openError = Assert.Throws<DatasetFormatException>(() => ExampleFile.Read(unterminated, TextAndTeam));
        Assert.Equal(3, openError.LineNumber);
        Assert.Contains("never closed", openError.Message);
    }

    [Fact]
    public void Csv_missing_columns_and_short_rows_are_named()
    {
        using var folder = new TempFolder();
        var noColumn = Assert.Throws<DatasetFormatException>(() => ExampleFile.Read(folder.Write("a.csv", "body,team\nx,bug\n"), TextAndTeam));
        Assert.Equal((1L, "text"), (noColumn.LineNumber!.Value, noColumn.Field));
        Assert.Contains("field \"text\" is missing from the header (columns: \"body\", \"team\")", noColumn.Message);

        var shortRow = Assert.Throws<DatasetFormatException>(() => ExampleFile.Read(folder.Write("b.csv", "text,team\nx,bug\nonly one\n"), TextAndTeam));
        Assert.Equal(3, shortRow.LineNumber);
        Assert.Contains("has 1 fields but 2 were expected", shortRow.Message);

        var emptyTarget = Assert.Throws<DatasetFormatException>(() => ExampleFile.Read(folder.Write("c.csv", "text,team\nx,\n"), TextAndTeam));
        Assert.Contains("c.csv: line 2: field \"team\" is empty", emptyTarget.Message);

        Assert.Throws<DatasetFormatException>(() => ExampleFile.Read(folder.Write("d.csv", "text,team\n"), TextAndTeam));
    }

    [Fact]
    public void Bad_utf8_in_csv_is_reported_with_line_and_field_never_replaced()
    {
        using var folder = new TempFolder();
        var bytes = Concat("text,team\nfine,bug\n\"two\nlines ", [0xC3, 0x28], " here\",billing\n");
        var path = folder.WriteBytes("bad.csv", bytes);

        var error = Assert.Throws<DatasetFormatException>(() => ExampleFile.Read(path, TextAndTeam));

        Assert.Equal((4L, "text"), (error.LineNumber!.Value, error.Field));
        Assert.Contains("bad.csv: line 4: field \"text\" is not valid UTF-8: byte 0xC3", error.Message);
    }

    [Fact]
    public void Bad_utf8_in_jsonl_and_json_is_reported_with_line_and_field_never_replaced()
    {
        using var folder = new TempFolder();
        var jsonl = folder.WriteBytes("bad.jsonl", Concat("{\"text\": \"ok\", \"team\": \"bug\"}\n{\"text\": \"caf", [0xE9], "\", \"team\": \"bug\"}\n"));
        var json = folder.WriteBytes("bad.json", Concat("[\n{\"text\": \"ok\", \"team\": \"bug\"},\n{\"text\": \"ok\",\n \"team\": \"b", [0xFF], "g\"}]"));

        var linesError = Assert.Throws<DatasetFormatException>(() => ExampleFile.Read(jsonl, TextAndTeam));
        Assert.Equal((2L, "text"), (linesError.LineNumber!.Value, linesError.Field));
        Assert.Contains("bad.jsonl: line 2: field \"text\" is not valid UTF-8: byte 0xE9 at byte 14 of the line", linesError.Message);

        var arrayError = Assert.Throws<DatasetFormatException>(() => ExampleFile.Read(json, TextAndTeam));
        Assert.Equal((4L, 1, "team"), (arrayError.LineNumber!.Value, arrayError.ElementIndex!.Value, arrayError.Field));
        Assert.Contains("bad.json: line 4, element 1: field \"team\" is not valid UTF-8: byte 0xFF", arrayError.Message);
    }

    [Fact]
    public void Streams_read_like_files_under_the_given_name()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("\uFEFFtext,team\nhi,bug\n"));
        var example = Assert.Single(ExampleFile.ReadCsv(stream, "support/tickets.csv", TextAndTeam));
        Assert.Equal(("hi", "bug"), (example.Input, example.Target));
        Assert.Equal("support/tickets.csv:2", example.Source);

        using var broken = new MemoryStream(Encoding.UTF8.GetBytes("{\"text\": \"hi\"}\n"));
        var error = Assert.Throws<DatasetFormatException>(() => ExampleFile.ReadJsonLines(broken, "support/tickets.jsonl", TextAndTeam));
        Assert.Equal("support/tickets.jsonl", error.FilePath);
    }

    [Fact]
    public void An_unknown_extension_asks_for_an_explicit_reader()
    {
        var error = Assert.Throws<ArgumentException>(() => ExampleFile.Read("data.xlsx", TextAndTeam));
        Assert.Contains(".xlsx", error.Message);
    }

    private static byte[] Concat(string before, byte[] bad, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. bad, .. Encoding.UTF8.GetBytes(after)];
}
