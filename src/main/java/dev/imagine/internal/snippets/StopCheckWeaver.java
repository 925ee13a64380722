package dev.imagine.internal.snippets;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Weaves a call to {@link SnippetStop#check()} into a snippet's class at the start of every
 * method and before every backward jump, so that a loop which ignores interrupts can still be
 * stopped on every JDK (JShell's own local execution does the same on JDK 22+; {@code Thread.stop}
 * is gone since JDK 20).
 *
 * <pre>{@code
 * byte[] woven = StopCheckWeaver.weave(classBytes);   // before defining the class
 * }</pre>
 *
 * The call takes and leaves nothing on the stack, so the class's stack map frames stay valid.
 */
public final class StopCheckWeaver {
  private static final String OWNER = Type.getInternalName(SnippetStop.class);

  private StopCheckWeaver() {}

  /** The class with the stop checks woven in. */
  public static byte[] weave(byte[] classFile) {
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
        return mv == null || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0 ? mv : new Checks(mv);
      }
    }, 0);
    return writer.toByteArray();
  }

  private static final class Checks extends MethodVisitor {
    private final Set<Label> seen = new HashSet<>();

    Checks(MethodVisitor mv) {
      super(Opcodes.ASM9, mv);
    }

    private void check() {
      super.visitMethodInsn(Opcodes.INVOKESTATIC, OWNER, "check", "()V", false);
    }

    @Override
    public void visitCode() {
      super.visitCode();
      check();
    }

    @Override
    public void visitLabel(Label label) {
      seen.add(label);
      super.visitLabel(label);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
      if (seen.contains(label)) {
        check();
      }
      super.visitJumpInsn(opcode, label);
    }
  }
}
