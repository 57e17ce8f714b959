extension Character {
    /// 0-9 only: `isNumber` also accepts digits of other scripts and fractions like "½".
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }

    var isLowercaseASCIIAlphanumeric: Bool { isASCIIDigit || ("a"..."z").contains(self) }
}
