package dev.shammah.local.hf;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.shammah.persist.PrivateFiles;

/**
 * Writes float32 tensors as a safetensors file (what PEFT and transformers read), private and fsynced, in place:
 * the caller writes into a directory that is renamed into place whole ({@link dev.shammah.engine} adapters).
 */
final class SafetensorsWriter {
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Map<String, float[]> data = new LinkedHashMap<>();

    SafetensorsWriter add(String name, long[] shape, float[] values) {
        shapes.put(name, shape.clone());
        data.put(name, values);
        return this;
    }

    void write(Path file) throws IOException {
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long n = data.get(e.getKey()).length;
            StringBuilder shape = new StringBuilder();
            for (long d : e.getValue()) {
                shape.append(shape.isEmpty() ? "" : ",").append(d);
            }
            header.append(",\"").append(e.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":[").append(shape)
                    .append("],\"data_offsets\":[").append(offset).append(',').append(offset + n * 4).append("]}");
            offset += n * 4;
        }
        header.append('}');
        // The data that follows starts 8-byte aligned, as the format recommends.
        while ((header.length() + 8) % 8 != 0) {
            header.append(' ');
        }
        byte[] head = header.toString().getBytes(StandardCharsets.UTF_8);
        // 0600 from the start and fsynced: adapters are learned from people's prompts and answers.
        try (FileChannel ch = FileChannel.open(file, Set.of(
                StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), PrivateFiles.fileAttributes(file));
             OutputStream out = Channels.newOutputStream(ch)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(head.length).array());
            out.write(head);
            for (float[] values : data.values()) {
                ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(values);
                out.write(b.array());
            }
            out.flush();
            ch.force(true);
        }
    }
}
