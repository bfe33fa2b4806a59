using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace Supervision.Architecture.Tests;

/// <summary>The IL reader on hand-written bodies: it must step over every operand exactly, or tokens after it are lost.</summary>
public sealed class IlTokensTests
{
    [Fact]
    public void Read_TokenAfterSwitch_IsFound()
    {
        byte[] il =
        [
            0x45, 0x02, 0x00, 0x00, 0x00,   // switch, two targets
            0x20, 0x00, 0x00, 0x00,         //   target 0 (bytes that read as ldc.i4 if misaligned)
            0x20, 0x00, 0x00, 0x00,         //   target 1
            0x73, 0x05, 0x00, 0x00, 0x0A,   // newobj MemberRef 5
            0x2A,                           // ret
        ];

        Assert.Equal([MemberRef(5)], IlTokens.Read(il));
    }

    [Fact]
    public void Read_TwoByteOpcodesAndWideOperands_FindsEveryToken()
    {
        byte[] il =
        [
            0x21, 1, 2, 3, 4, 5, 6, 7, 8,     // ldc.i8
            0x23, 1, 2, 3, 4, 5, 6, 7, 8,     // ldc.r8
            0xFE, 0x0C, 0x01, 0x00,           // ldloc (two-byte index)
            0xFE, 0x16, 0x02, 0x00, 0x00, 0x1B, // constrained. TypeSpec 2
            0xFE, 0x06, 0x03, 0x00, 0x00, 0x2B, // ldftn MethodSpec 3
            0x72, 0x01, 0x00, 0x00, 0x70,     // ldstr (a user string, not a type)
            0xD0, 0x04, 0x00, 0x00, 0x01,     // ldtoken TypeRef 4
            0x2A,                             // ret
        ];

        Assert.Equal(
            [
                MetadataTokens.EntityHandle(0x1B000002),
                MetadataTokens.EntityHandle(0x2B000003),
                MetadataTokens.EntityHandle(0x01000004),
            ],
            IlTokens.Read(il));
    }

    [Fact]
    public void Read_UnknownOpcode_Throws()
    {
        Assert.Throws<BadImageFormatException>(() => IlTokens.Read([0x00, 0xC1, 0x2A]));
    }

    private static EntityHandle MemberRef(int row) => MetadataTokens.EntityHandle(TableIndex.MemberRef, row);
}
