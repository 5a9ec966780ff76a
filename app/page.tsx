export default function HomePage() {
  return (
    <main className="mx-auto max-w-2xl p-8">
      <h1 className="text-2xl font-semibold">Hookscope</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">
        Create an endpoint with <code className="font-mono">POST /api/endpoints</code> and send requests to its capture URL.
      </p>
    </main>
  );
}
