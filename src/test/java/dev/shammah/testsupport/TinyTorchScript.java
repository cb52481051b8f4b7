package dev.shammah.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a tiny TorchScript causal LM without Python or torch: a bigram model whose logits for the next token
 * are row {@code input_id} of a V×V weight matrix ({@code torch.embedding(self.weight, input_ids)}), as the
 * zip archive TorchScript uses — {@code data.pkl} (the module object, pickled), the module's TorchScript source
 * under {@code code/}, {@code constants.pkl}, the tensor bytes under {@code data/}, and {@code version} — plus a
 * WordLevel {@code tokenizer.json}. Tests use it to exercise the user-model loading and decoding code.
 */
public final class TinyTorchScript {
    private TinyTorchScript() {
    }

    /**
     * Writes {@code model.pt} and {@code tokenizer.json} into {@code dir}. The model continues each vocabulary
     * word with the next one in {@code chain} and ends the chain with {@code </s>}.
     */
    public static void write(Path dir, List<String> vocab, List<String> chain) throws IOException {
        Files.createDirectories(dir);
        int v = vocab.size();
        float[] w = new float[v * v];
        for (int i = 0; i < chain.size(); i++) {
            int from = vocab.indexOf(chain.get(i));
            int to = i + 1 < chain.size() ? vocab.indexOf(chain.get(i + 1)) : vocab.indexOf("</s>");
            w[from * v + to] = 10f;
        }
        ByteBuffer tensor = ByteBuffer.allocate(4 * w.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : w) {
            tensor.putFloat(f);
        }
        String code = """
                class TinyLM(Module):
                  __parameters__ = ["weight", ]
                  __buffers__ = []
                  weight : Tensor
                  training : bool
                  def forward(self: __torch__.tiny.TinyLM,
                    input_ids: Tensor) -> Tensor:
                    return torch.embedding(self.weight, input_ids)
                """;
        try (OutputStream out = Files.newOutputStream(dir.resolve("model.pt"));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            stored(zip, "tiny/data.pkl", dataPickle(v));
            stored(zip, "tiny/code/__torch__/tiny.py", code.getBytes(StandardCharsets.UTF_8));
            stored(zip, "tiny/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            stored(zip, "tiny/data/0", tensor.array());
            stored(zip, "tiny/version", "3\n".getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder vocabJson = new StringBuilder();
        for (int i = 0; i < v; i++) {
            vocabJson.append(i == 0 ? "" : ",").append('"').append(vocab.get(i)).append("\":").append(i);
        }
        Files.writeString(dir.resolve("tokenizer.json"), """
                {"version":"1.0","truncation":null,"padding":null,"added_tokens":[
                  {"id":0,"content":"<unk>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true},
                  {"id":1,"content":"</s>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}],
                 "normalizer":null,
                 "pre_tokenizer":{"type":"Whitespace"},"post_processor":null,"decoder":null,
                 "model":{"type":"WordLevel","vocab":{%s},"unk_token":"<unk>"}}
                """.formatted(vocabJson));
    }

    /** The module object: {@code __torch__.tiny.TinyLM} with state {training: False, weight: tensor}. */
    private static byte[] dataPickle(int v) {
        Pickle p = new Pickle();
        p.op(0x80).op(2);                                        // PROTO 2
        p.global("__torch__.tiny", "TinyLM").op(')').op(0x81);    // EMPTY_TUPLE, NEWOBJ
        p.op('}').op('(');                                        // EMPTY_DICT, MARK
        p.str("training").op(0x89);                              // NEWFALSE
        p.str("weight");
        p.global("torch._utils", "_rebuild_tensor_v2");
        p.op('(');                                                // MARK (args)
        p.op('(').str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(v * v).op('t');
        p.op('Q');                                                // BINPERSID
        p.integer(0);                                             // storage offset
        p.integer(v).integer(v).op(0x86);                         // size: TUPLE2
        p.integer(v).integer(1).op(0x86);                         // stride: TUPLE2
        p.op(0x89);                                               // requires_grad False
        p.global("collections", "OrderedDict").op(')').op('R');  // OrderedDict()
        p.op('t').op('R');                                        // TUPLE, REDUCE
        p.op('u');                                                // SETITEMS
        p.op('b');                                                // BUILD
        p.op('.');                                                // STOP
        return p.bytes();
    }

    /** Just the pickle opcodes this file needs. */
    private static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int b) {
            out.write(b);
            return this;
        }

        Pickle global(String module, String name) {
            op('c');
            byte[] s = (module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8);
            out.write(s, 0, s.length);
            return this;
        }

        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');                                              // BINUNICODE
            op(b.length & 0xff).op((b.length >> 8) & 0xff).op((b.length >> 16) & 0xff).op((b.length >> 24) & 0xff);
            out.write(b, 0, b.length);
            return this;
        }

        Pickle integer(int i) {
            op('J');                                              // BININT
            op(i & 0xff).op((i >> 8) & 0xff).op((i >> 16) & 0xff).op((i >> 24) & 0xff);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
