using System.Text;
using LLama;
using LLama.Exceptions;

namespace DeepLanguageNetworks.LlamaSharp;

/// <summary>
/// The chat template a GGUF file carries (<c>tokenizer.chat_template</c>), applied by llama.cpp's
/// <c>llama_chat_apply_template</c> through LLamaSharp's <see cref="LLamaTemplate"/>.
/// </summary>
/// <remarks>
/// llama.cpp does not run the Jinja template: it recognises the template among the formats it knows (ChatML, Llama 2
/// and 3, Mistral, Gemma, Phi, ...) and writes that format itself. A template it does not recognise cannot be applied.
/// Thread-safe: every call builds its own <see cref="LLamaTemplate"/>.
/// </remarks>
internal sealed class GgufChatTemplate
{
    private const string UserRole = "user";

    private GgufChatTemplate(string text) => Text = text;

    /// <summary>The template as stored in the file.</summary>
    public string Text { get; }

    /// <summary>Reads the template from a loaded model.</summary>
    /// <param name="weights">The model.</param>
    /// <param name="template">The template, when the file has one that llama.cpp recognises.</param>
    /// <param name="unsupported">The template text, when the file has one that llama.cpp does not recognise.</param>
    public static void Read(LLamaWeights weights, out GgufChatTemplate? template, out string? unsupported)
    {
        template = null;
        unsupported = null;
        var text = weights.NativeHandle.GetTemplate(null, strict: false);
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        var candidate = new GgufChatTemplate(text);
        try
        {
            candidate.RenderUserTurn("probe");
            template = candidate;
        }
        catch (MissingTemplateException)
        {
            unsupported = text;
        }
    }

    /// <summary>Writes <paramref name="message"/> as the only user turn, followed by the opening of the assistant's reply.</summary>
    /// <param name="message">The user's message (the generation prompt).</param>
    /// <returns>The formatted prompt.</returns>
    /// <exception cref="MissingTemplateException">llama.cpp does not recognise the template.</exception>
    public string RenderUserTurn(string message)
    {
        var template = new LLamaTemplate(Text) { AddAssistant = true };
        template.Add(UserRole, message);
        return Encoding.UTF8.GetString(template.Apply());
    }
}
