// Lint gate: typescript-eslint's type-checked rules for every workspace, eslint-plugin-vue for web.
import js from '@eslint/js'
import vue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'dev/ferretdb/**', 'dev/stripe-mock/**', 'web/src/api/generated/**', 'k8s/chart/files/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...vue.configs['flat/recommended'],
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname, extraFileExtensions: ['.vue'] },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Storage ports are async so that an adapter may be synchronous (node:sqlite) or not (mongodb).
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['web/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser }, parserOptions: { parser: tseslint.parser } },
  },
  {
    // Keto's OPL spells a relation to a group's members as `(User | SubjectSet<Group, "members">)[]`; the
    // namespace types resolve that SubjectSet to User, and the rule's fixer would delete it, taking away
    // group members' rights.
    files: ['ory/keto/*.keto.ts'],
    rules: { '@typescript-eslint/no-duplicate-type-constituents': 'off' },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
)
