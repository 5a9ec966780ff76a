-- AlterTable: which process sent a forward attempt (host:pid), to see replicas sharing the outbox
ALTER TABLE "deliveries" ADD COLUMN "sent_by" TEXT;
