using System.Text;
using DeepLanguageNetworks.Tests.Data;

namespace DeepLanguageNetworks.Paper.Tests;

/// <summary>Issue 15, item 6: bytes that are not UTF-8 in a paper data file are an error with line, element and field, never U+FFFD.</summary>
public class Utf8LoaderTests
{
    [Fact]
    public void Invalid_utf8_in_a_json_array_names_line_element_and_field()
    {
        using var folder = new TempFolder();
        byte[] bytes =
        [
            .. Encoding.UTF8.GetBytes("[{\"sentence1\": \"fire!\", \"label\": \"Relevant\"},\n {\"sentence1\": \"smoke "),
            0xFF, 0xFE,
            .. Encoding.UTF8.GetBytes("\", \"label\": \"Relevant\"}]"),
        ];
        var path = folder.WriteBytes("disaster_eval.json", bytes);

        var error = Assert.Throws<DatasetFormatException>(() => LeopardLoader.Load(path, PaperTasks.Disaster));

        Assert.Equal(2, error.LineNumber);
        Assert.Equal(1, error.ElementIndex);
        Assert.Equal("sentence1", error.Field);
        Assert.Contains("disaster_eval.json: line 2, element 1: field \"sentence1\" is not valid UTF-8: byte 0xFF", error.Message);
    }

    [Fact]
    public void Invalid_utf8_in_json_lines_is_an_error_not_a_replacement_character()
    {
        using var folder = new TempFolder();
        byte[] bytes =
        [
            .. Encoding.UTF8.GetBytes("{\"sentence\": \"fine\", \"label\": \"0\"}\n{\"sentence\": \"na"),
            0xC3,
            .. Encoding.UTF8.GetBytes("ve\", \"label\": \"1\"}\n"),
        ];
        var path = folder.WriteBytes("train.jsonl", bytes);

        var error = Assert.Throws<DatasetFormatException>(() => OrderedPromptLoader.Load(path, PaperTasks.Mpqa));

        Assert.Equal(2, error.LineNumber);
        Assert.Equal("sentence", error.Field);
        Assert.Contains("train.jsonl: line 2: field \"sentence\" is not valid UTF-8: byte 0xC3", error.Message);
    }

    [Fact]
    public void Invalid_utf8_in_a_bbh_file_names_the_element_and_field()
    {
        using var folder = new TempFolder();
        byte[] bytes =
        [
            .. Encoding.UTF8.GetBytes("{\"examples\": [\n{\"input\": \"x\", \"target\": \"(A)\"},\n{\"input\": \"y\", \"target\": \"(B"),
            0x80,
            .. Encoding.UTF8.GetBytes(")\"}]}"),
        ];
        var path = folder.WriteBytes("hyperbaton.json", bytes);

        var error = Assert.Throws<DatasetFormatException>(() => BbhLoader.Load(path));

        Assert.Equal((3L, 1, "target"), (error.LineNumber!.Value, error.ElementIndex!.Value, error.Field));
    }

    [Fact]
    public void Valid_non_ascii_text_and_published_mojibake_still_load()
    {
        using var folder = new TempFolder();
        var path = folder.Write("train.jsonl", "{\"sentence\": \"naïve café ½ x² İstanbul\", \"label\": \"1\"}\n");

        var example = Assert.Single(OrderedPromptLoader.Load(path, PaperTasks.Mpqa));

        Assert.StartsWith("naïve café ½ x² İstanbul\nOptions:", example.Input);
        Assert.DoesNotContain('\uFFFD', example.Input);
    }
}
